// Name keys: spacing, middle dots, width, kana script and variant kanji never make two names.
import t from 'tap'
import { kanaKey, nameKey } from '../../../src/domain/identity/name.js'

// [typed, key]
const names: Array<[string, string | null]> = [
  // Spaces of every width, middle dots, invisible characters.
  ['山田太郎', '山田太郎'],
  ['山田　太郎', '山田太郎'],
  [' 山田 　太郎 ', '山田太郎'],
  ['山田・太郎', '山田太郎'],
  ['山田･太郎', '山田太郎'],
  ['山田\u200B太郎', '山田太郎'],
  // Kana: hiragana and half-width katakana are katakana; mixed scripts too.
  ['やまだ たろう', 'ヤマダタロウ'],
  ['ヤマダ　タロウ', 'ヤマダタロウ'],
  ['ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダタロウ'],
  ['山田 たろう', '山田タロウ'],
  ['ゔぃとー', 'ヴィトー'],
  // Latin letters: lower-cased, full width folded, never turned into kana.
  ['Taro YAMADA', 'taroyamada'],
  ['ＴＡＲＯ　ＹＡＭＡＤＡ', 'taroyamada'],
  ['taro', 'taro'],
  ['John・Smith', 'johnsmith'],
  ['Jean·Luc', 'jeanluc'],
  // Old and variant kanji, ヶ/ケ: one surname.
  ['髙橋一郎', '高橋一郎'],
  ['渡邊 花子', '渡辺花子'],
  ['渡邉花子', '渡辺花子'],
  ['山﨑', '山崎'],
  ['一ヶ谷', '一ケ谷'],
  // A place-name particle is not folded in a name: が stays ガ, not ケ.
  ['ながい', 'ナガイ'],
  ['長谷川', '長谷川'],
  // Nothing left.
  ['', null], ['　 ', null], ['・', null], [' ･ ', null],
]

for (const [typed, expected] of names) {
  t.test(`nameKey ${JSON.stringify(typed)}`, async (t) => {
    t.equal(nameKey(typed), expected)
  })
}

// [typed reading, key]
const readings: Array<[string, string | null]> = [
  ['やまだ たろう', 'ヤマダタロウ'],
  ['ヤマダ・タロウ', 'ヤマダタロウ'],
  ['ﾔﾏﾀﾞﾀﾛｳ', 'ヤマダタロウ'],
  ['ｽｽﾞｷ　ﾊﾅｺ', 'スズキハナコ'],
  ['すずき はなこ', 'スズキハナコ'],
  ['ジョン・スミス', 'ジョンスミス'],
  ['', null], ['　', null],
]

for (const [typed, expected] of readings) {
  t.test(`kanaKey ${JSON.stringify(typed)}`, async (t) => {
    t.equal(kanaKey(typed), expected)
  })
}

t.test('a reading and its name in either kana meet', async (t) => {
  t.equal(kanaKey('やまだ'), kanaKey('ヤマダ'))
  t.not(kanaKey('ヤマダ'), kanaKey('ヤマタ'))
})
