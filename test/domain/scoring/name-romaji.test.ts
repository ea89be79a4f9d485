// NAME_ROMAJI: a name typed in Latin letters fires; kanji and kana never do.
import t from 'tap'
import type { SignalContext } from '../../../src/domain/scoring/order.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { isRomajiName, nameRomaji } from '../../../src/domain/scoring/signals/name-romaji.js'

const cases: Array<[string, boolean]> = [
  // Seed 002 目視チェック 8: a Japanese name typed in romaji.
  ['Taro Yamada', true],
  ['YAMADA TARO', true],
  ['山田太郎', false],
  ['やまだ たろう', false],
  ['ヤマダ タロウ', false],
  // Width and spacing.
  ['Ｔａｒｏ　Ｙａｍａｄａ', true],
  ['yamada taro', true],
  ['Tarō Ōno', true],
  ['山田　太郎', false],
  ['ﾔﾏﾀﾞ ﾀﾛｳ', false],
  // Non-Japanese names in Latin letters count too.
  ['John Smith', true],
  ["Mary O'Brien", true],
  ['Jean-Luc Picard', true],
  ['Jürgen Müller', true],
  // Mixed scripts, initials, digits and empty input are not a romaji name.
  ['山田 Taro', false],
  ['T', false],
  ['Taro123', false],
  ['', false],
  ['   ', false],
]

for (const [name, expected] of cases) t.test(JSON.stringify(name), async (t) => t.equal(isRomajiName(name), expected))

const ctx = (buyerName: string, shipToName?: string): SignalContext => ({
  order: {
    orderId: 'o1', amount: 1000, paymentMethod: 'card',
    buyer: { name: buyerName, email: 'a@example.co.jp', address: { line: '東京都渋谷区道玄坂1-2-3' } },
    ...(shipToName === undefined ? {} : { shipTo: { name: shipToName, address: { line: '大阪府大阪市北区梅田1-2-3' } } }),
  },
  buyerAddress: null,
  shipToAddress: null,
})

t.test('the signal names the fields that are in romaji', async (t) => {
  t.match(fire(nameRomaji, ctx('Taro Yamada')), { code: 'NAME_ROMAJI', weight: 5, fields: ['buyer.name'], message: { ja: /ローマ字/ } })
  t.match(fire(nameRomaji, ctx('山田太郎', 'Hanako Sato')), { fields: ['shipTo.name'] })
  t.match(fire(nameRomaji, ctx('Taro Yamada', 'Hanako Sato')), { fields: ['buyer.name', 'shipTo.name'] })
  t.equal(fire(nameRomaji, ctx('山田太郎', '佐藤花子')), null)
  t.equal(fire(nameRomaji, ctx('山田太郎')), null)
})
