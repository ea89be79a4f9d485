// KANA_MISMATCH: a furigana that cannot be the name's reading fires; a real reading, in any kana,
// width or spelling, never does; and what the dictionary cannot settle stays silent (null).
import t from 'tap'
import { isPlausibleReading } from '../../../src/domain/scoring/name-readings.js'
import { loadNameReadings } from '../../../src/domain/scoring/name-dictionary.js'
import type { SignalContext } from '../../../src/domain/scoring/order.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { kanaMismatch } from '../../../src/domain/scoring/signals/kana-mismatch.js'

const cases: Array<[name: string, kana: string, plausible: boolean | null]> = [
  // Seed 002 目視チェック 1: 木村 read kanji by kanji (木 キ, 村 ソン).
  ['木村', 'きそん', false],
  ['木村', 'きむら', true],
  // The examples.
  ['山田太郎', 'サトウハナコ', false],
  ['山田太郎', 'ヤマダタロウ', true],
  ['山田 太郎', 'やまだ たろう', true],
  ['山田　太郎', 'ﾔﾏﾀﾞ ﾀﾛｳ', true],
  ['東海林', 'ショウジ', true],
  ['一生', 'イッセイ', true],
  ['一生', 'カズオ', true],

  // Common surnames, read right.
  ['佐藤', 'サトウ', true], ['鈴木', 'スズキ', true], ['高橋', 'タカハシ', true], ['田中', 'タナカ', true],
  ['渡辺', 'ワタナベ', true], ['伊藤', 'イトウ', true], ['中村', 'ナカムラ', true], ['小林', 'コバヤシ', true],
  ['加藤', 'カトウ', true], ['吉田', 'ヨシダ', true], ['山本', 'ヤマモト', true], ['斎藤', 'サイトウ', true],
  ['松本', 'マツモト', true], ['井上', 'イノウエ', true], ['林', 'ハヤシ', true], ['清水', 'シミズ', true],
  ['山崎', 'ヤマザキ', true], ['森', 'モリ', true], ['阿部', 'アベ', true], ['池田', 'イケダ', true],
  ['橋本', 'ハシモト', true], ['石川', 'イシカワ', true], ['長谷川', 'ハセガワ', true], ['五十嵐', 'イガラシ', true],
  ['服部', 'ハットリ', true], ['河野', 'コウノ', true], ['河野', 'カワノ', true], ['東', 'アズマ', true], ['東', 'ヒガシ', true],
  // Given names, read right: from the dictionary, or kanji by kanji (陽 ヒ 菜 ナ, 大 ヒロ 翔 ト).
  ['翔太', 'ショウタ', true], ['陽菜', 'ヒナ', true], ['大翔', 'ヒロト', true], ['結衣', 'ユイ', true], ['蓮', 'レン', true],
  ['太郎', 'タロウ', true], ['花子', 'ハナコ', true], ['健一', 'ケンイチ', true], ['美咲', 'ミサキ', true],
  ['翔', 'カケル', true], ['翔', 'ショウ', true], ['悠斗', 'ユウト', true], ['裕太', 'ユウタ', true], ['葵', 'アオイ', true],
  ['美月', 'ミヅキ', true], ['美月', 'ミツキ', true], ['一生', 'イッショウ', true], ['龍之介', 'リュウノスケ', true],
  // Whole names, with and without spaces.
  ['鈴木一郎', 'スズキイチロウ', true], ['佐藤 花子', 'サトウ ハナコ', true], ['高橋大翔', 'タカハシヒロト', true],
  ['田中陽菜', 'たなかひな', true], ['中村 蓮', 'ナカムラレン', true], ['木村拓哉', 'キムラタクヤ', true],
  ['芥川　龍之介', 'アクタガワ　リュウノスケ', true],

  // Spelling: long vowels (サトウ サトー), large for small kana, ヅ for ズ, width, hiragana, middle dots.
  ['佐藤', 'サトー', true], ['大野', 'オーノ', true], ['大野', 'オウノ', true], ['伊東', 'いとー', true],
  ['佐藤 雄一', 'サトウ ユーイチ', true], ['東海林', 'シヨウジ', true], ['芥川龍之介', 'アクタガワリユウノスケ', true],
  ['都築', 'ツズキ', true], ['千鶴', 'ちずる', true], ['鈴木', 'ｽｽﾞｷ', true], ['山田太郎', 'ヤマダ・タロウ', true],
  // Sequential voicing (連濁) and ッ: 山崎 both ways, 川島 ジマ though the dictionary lists シマ only.
  ['山崎', 'ヤマサキ', true], ['川島', 'カワジマ', true], ['吉川', 'キッカワ', true], ['石田', 'イシダ', true],
  // 々 repeats the kanji before it; ヶ and ノ inside names.
  ['佐々木', 'ササキ', true], ['佐佐木', 'ササキ', true], ['野々村', 'ノノムラ', true], ['一ノ瀬', 'イチノセ', true],
  ['一ヶ谷', 'イチガヤ', true], ['関ケ原', 'セキガハラ', true],
  // Old forms of kanji: 髙 and 﨑 as 高 and 崎.
  ['髙橋 一郎', 'タカハシ イチロウ', true], ['山﨑', 'ヤマザキ', true], ['齋藤', 'サイトウ', true], ['渡邊', 'ワタナベ', true],
  // A name in kana is its own reading.
  ['さくら', 'サクラ', true], ['やまだ はなこ', 'ヤマダハナコ', true], ['ジョン・スミス', 'ジョン スミス', true],

  // Mismatches: a surname the dictionary knows, read otherwise.
  ['山田 太郎', 'サトウ タロウ', false],
  ['鈴木一郎', 'タナカイチロウ', false],
  ['佐藤', 'スズキ', false],
  ['高橋', 'コウキョウ', false],
  ['田中 花子', 'デンチュウ ハナコ', false],
  ['渡辺', 'トヘン', false],
  ['中村', 'チュウソン', false],
  ['伊藤', 'イフジ', false],
  // Not saved by cutting 木|村拓哉 and reading 村 ソン: a cut at a known surname is trusted first.
  ['木村拓哉', 'キソンタクヤ', false],
  ['やまだ はなこ', 'サトウハナコ', false],

  // Unsure, so silent: parents choose given names' readings (名乗り, キラキラネーム) …
  ['山田 太郎', 'ヤマダ ハナコ', null],
  ['陽翔', 'ハルト', null],
  ['蒼空', 'ソラ', null],
  ['彩葉', 'イロハ', null],
  // … a surname the dictionary lacks, or of one kanji with no space to say it is the surname …
  ['小鳥遊', 'タカナシ', null],
  ['小鳥遊 ひな', 'タカナシ ヒナ', null],
  ['林陽菜', 'モリヒナ', null],
  // … a space where the surname's reading does not end: more likely a slip than a stranger …
  ['山田花子', 'ヤマ ダハナコ', null],
  // … a kanji with no reading known, 々 with no kanji before it, a character neither kanji nor kana …
  ['颯', 'ハヤテ', null],
  ['々田', 'タタ', null],
  ['山田〆', 'ヤマダシメ', null],
  ['山田1号', 'ヤマダイチゴウ', null],
  // … romaji (NAME_ROMAJI's business) or a kana field that is not kana …
  ['Taro Yamada', 'ヤマダタロウ', null],
  ['山田太郎', 'yamada taro', null],
  ['山田太郎', '山田太郎', null],
  ['', 'ヤマダ', null],
  ['山田', '', null],
  // … and a name too long to be one, whatever its kana.
  ['山'.repeat(200), 'ヤ'.repeat(200), null],
  ['山田'.repeat(7), 'ヤマダ'.repeat(7), null],
]

t.before(() => { loadNameReadings() })

for (const [name, kana, expected] of cases) {
  t.test(`${JSON.stringify(name.slice(0, 20))} ${JSON.stringify(kana.slice(0, 20))}`, async (t) => t.equal(isPlausibleReading(name, kana), expected))
}

t.test('the table is IPADIC’s person names and single kanji', async (t) => {
  const sizes = loadNameReadings()
  t.ok(sizes.family > 10_000 && sizes.given > 15_000 && sizes.chars > 3_000, JSON.stringify(sizes))
})

t.test('a hostile name stays cheap: twelve kanji of many readings against 36 kana', async (t) => {
  const started = performance.now()
  for (const [name, kana] of [['生'.repeat(12), 'イ'.repeat(36)], ['生一'.repeat(6), 'イキ'.repeat(18)], ['々'.repeat(12), 'ア'.repeat(36)]]) {
    t.equal(isPlausibleReading(name!, kana!), null)
  }
  t.ok(performance.now() - started < 500, 'under half a second for three')
})

const ctx = (buyer: { name: string; nameKana?: string }, shipTo?: { name?: string; nameKana?: string }): SignalContext => ({
  order: {
    orderId: 'o1', amount: 1000, paymentMethod: 'card',
    buyer: { ...buyer, email: 'a@example.co.jp', address: { line: '東京都渋谷区道玄坂1-2-3' } },
    ...(shipTo === undefined ? {} : { shipTo: { ...shipTo, address: { line: '大阪府大阪市北区梅田1-2-3' } } }),
  },
  buyerAddress: null,
  shipToAddress: null,
})

t.test('the signal names the kana fields that do not read their names', async (t) => {
  t.match(fire(kanaMismatch, ctx({ name: '木村 花子', nameKana: 'キソン ハナコ' })), {
    code: 'KANA_MISMATCH', weight: 10, fields: ['buyer.nameKana'], message: { ja: /フリガナ/, en: /kana/ },
  })
  t.match(fire(kanaMismatch, ctx({ name: '山田太郎', nameKana: 'ヤマダタロウ' }, { name: '佐藤花子', nameKana: 'スズキハナコ' })), { fields: ['shipTo.nameKana'] })
  t.match(fire(kanaMismatch, ctx({ name: '山田太郎', nameKana: 'サトウハナコ' }, { name: '佐藤花子', nameKana: 'スズキハナコ' })), {
    fields: ['buyer.nameKana', 'shipTo.nameKana'],
  })
})

t.test('no kana, a right reading or an unsure one: no signal', async (t) => {
  t.equal(fire(kanaMismatch, ctx({ name: '山田太郎' })), null)
  t.equal(fire(kanaMismatch, ctx({ name: '山田太郎', nameKana: 'やまだ たろう' }, { name: '佐藤花子', nameKana: 'サトウハナコ' })), null)
  t.equal(fire(kanaMismatch, ctx({ name: '山田太郎', nameKana: 'ヤマダタロウ' }, { nameKana: 'サトウハナコ' })), null)
  t.equal(fire(kanaMismatch, ctx({ name: '山田太郎', nameKana: 'ヤマダタロウ' }, { name: '佐藤花子' })), null)
  t.equal(fire(kanaMismatch, ctx({ name: '高橋陽翔', nameKana: 'タカハシハルト' })), null)
  t.equal(fire(kanaMismatch, ctx({ name: 'Taro Yamada', nameKana: 'サトウ' })), null)
})
