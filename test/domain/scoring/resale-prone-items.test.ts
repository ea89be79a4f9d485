// RESALE_PRONE_ITEMS: seed 002 §4's 不正注文の対象になりやすい商品, by category value or by word.
import t from 'tap'
import type { OrderInput, SignalContext } from '../../../src/domain/scoring/order.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { isResaleProne, resaleProneItems } from '../../../src/domain/scoring/signals/resale-prone-items.js'

type Item = { name: string; category?: string }
const item = (name: string, category?: string): Item => (category === undefined ? { name } : { name, category })

const prone: Array<[string, Item]> = [
  // The seed's list, in its order.
  ['ブランド品', item('ブランド品 バッグ')],
  ['ジュエリー', item('ダイヤ ネックレス', 'ジュエリー')],
  ['デジタルカメラ', item('デジタルカメラ X100')],
  ['DVDレコーダー', item('DVDレコーダー 1TB')],
  ['PC・周辺機器', item('ノートPC 15インチ')],
  ['TV', item('4K TV 55型')],
  ['衣類 as the standard value apparel', item('Tシャツ', 'apparel')],
  ['高級食品 as the standard value gourmet', item('黒毛和牛', 'gourmet')],
  ['ゲーム機器', item('PS5 本体')],
  ['時計', item('ロレックス 腕時計')],
  ['高級化粧品', item('美容液 50ml', '化粧品')],
  ['電動工具', item('マキタ インパクトドライバー')],
  ['楽器', item('エレキギター')],
  ['釣具', item('スピニングリール')],
  ['カーナビゲーション', item('7インチ カーナビ')],
  // Standard values and other spellings.
  ...['brand', 'jewelry', 'camera', 'pc', 'tv', 'game', 'watch', 'cosmetics', 'power_tool', 'instrument', 'fishing', 'car_navigation']
    .map((c): [string, Item] => [`category ${c}`, item('商品', c)]),
  ['category in capitals', item('商品', 'Camera')],
  ['iPhone', item('iPhone 15 Pro 256GB')],
  ['Nintendo Switch', item('Nintendo Switch 有機ELモデル')],
  ['ルイヴィトン', item('ルイヴィトン 長財布')],
  ['ｶﾒﾗ half width', item('一眼ｶﾒﾗ')],
  ['Apple Watch', item('Apple Watch Series 9')],
]
const notProne: Array<[string, Item]> = [
  ['rice', item('新潟県産コシヒカリ 5kg', 'food')],
  ['a T-shirt without a category', item('Tシャツ')],
  ['an iPhone case', item('iPhone 15 ケース')],
  ['a TV stand', item('テレビ台 幅120cm')],
  ['unbranded', item('ノーブランド トートバッグ')],
  ['pcs is not pc', item('タオル 10pcs')],
  ['a book', item('小説', 'book')],
]

for (const [name, it] of prone) t.test(`prone: ${name}`, async (t) => t.equal(isResaleProne(it), true))
for (const [name, it] of notProne) t.test(`not prone: ${name}`, async (t) => t.equal(isResaleProne(it), false))

const ctx = (items?: OrderInput['items']): SignalContext => ({
  order: {
    orderId: '1', amount: 1, paymentMethod: 'card',
    buyer: { name: '山田', email: 'a@b.jp', address: { line: '東京都渋谷区道玄坂1-2-3' } },
    ...(items === undefined ? {} : { items }),
  },
  buyerAddress: null,
  shipToAddress: null,
})

t.test('the reason names the items by index', async (t) => {
  const r = fire(resaleProneItems, ctx([
    { name: 'コシヒカリ', unitPrice: 3000, quantity: 1 },
    { name: 'PS5', unitPrice: 60000, quantity: 2 },
    { name: '時計', category: 'watch', unitPrice: 50000, quantity: 1 },
  ]))
  t.equal(r?.code, 'RESALE_PRONE_ITEMS')
  t.equal(r?.weight, RULESET.weights.RESALE_PRONE_ITEMS)
  t.same(r?.fields, ['items[1]', 'items[2]'])
  t.match(r?.message.en, /2 resale-prone items/)
})

t.test('no items, or none prone: nothing', async (t) => {
  t.equal(fire(resaleProneItems, ctx()), null)
  t.equal(fire(resaleProneItems, ctx([])), null)
  t.equal(fire(resaleProneItems, ctx([{ name: 'コシヒカリ', unitPrice: 3000, quantity: 1 }])), null)
})
