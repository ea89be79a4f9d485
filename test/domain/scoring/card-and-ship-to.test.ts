// CARD_OVERSEAS, THREE_DS_AUTHENTICATED and SHIP_TO_DIFFERS (seed 002 §3, §4).
import t from 'tap'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'
import type { AddressInput, OrderInput, SignalContext } from '../../../src/domain/scoring/order.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { cardOverseas } from '../../../src/domain/scoring/signals/card-overseas.js'
import { shipToDiffers } from '../../../src/domain/scoring/signals/ship-to-differs.js'
import { threeDSAuthenticated } from '../../../src/domain/scoring/signals/three-ds.js'

const normalized = (a: AddressInput) => {
  try { return normalizeAddress(a) } catch { return null }
}
const home: AddressInput = { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '101' }
const ctx = (patch: Partial<OrderInput>): SignalContext => {
  const order: OrderInput = { orderId: '1', amount: 10000, paymentMethod: 'card', buyer: { name: '山田 太郎', email: 'a@b.jp', address: home }, ...patch }
  return { order, buyerAddress: normalized(order.buyer.address), shipToAddress: normalized(order.shipTo?.address ?? order.buyer.address) }
}
const card = (c: Partial<NonNullable<OrderInput['card']>>) => ({ card: { bin: '411111', last4: '1111', ...c } })

const overseas: Array<[string, SignalContext, boolean]> = [
  // Seed 002 §4: 海外発行カードで注文している.
  ['issued in the US', ctx(card({ issuerCountry: 'US' })), true],
  ['issued in China, lower case', ctx(card({ issuerCountry: 'cn' })), true],
  ['issued in Japan', ctx(card({ issuerCountry: 'JP' })), false],
  ['issued in Japan, lower case', ctx(card({ issuerCountry: 'jp' })), false],
  ['no issuer country', ctx(card({})), false],
  ['no card (cash on delivery)', ctx({ paymentMethod: 'cod' }), false],
]
for (const [name, c, fires] of overseas) {
  t.test(`CARD_OVERSEAS: ${name}`, async (t) => {
    const r = fire(cardOverseas, c)
    t.equal(r !== null, fires)
    if (r) t.same([r.code, r.weight, r.fields], ['CARD_OVERSEAS', RULESET.weights.CARD_OVERSEAS, ['card.issuerCountry']])
  })
}

const threeDS: Array<[string, SignalContext, boolean]> = [
  // Seed 002 §3: 3Dセキュア認証済の受注は店舗さんは免責.
  ['authenticated', ctx(card({ threeDSecure: 'authenticated' })), true],
  ['attempted', ctx(card({ threeDSecure: 'attempted' })), false],
  ['failed', ctx(card({ threeDSecure: 'failed' })), false],
  ['not performed', ctx(card({ threeDSecure: 'not_performed' })), false],
  ['no card', ctx({}), false],
]
for (const [name, c, fires] of threeDS) {
  t.test(`THREE_DS_AUTHENTICATED: ${name}`, async (t) => {
    const r = fire(threeDSAuthenticated, c)
    t.equal(r !== null, fires)
    if (r) {
      t.same([r.code, r.weight, r.fields], ['THREE_DS_AUTHENTICATED', RULESET.weights.THREE_DS_AUTHENTICATED, ['card.threeDSecure']])
      t.ok(r.weight < 0)
    }
  })
}

const shipTo = (address: AddressInput, name?: string): Partial<OrderInput> => ({ shipTo: { address, ...(name === undefined ? {} : { name }) } })
const differs: Array<[string, SignalContext, string[] | null]> = [
  // Seed 002 §3: 注文者と別の配送先.
  ['another address', ctx(shipTo({ prefecture: '大阪府', city: '大阪市北区', town: '梅田', block: '1-1-3' })), ['shipTo.address']],
  ['another room', ctx(shipTo({ ...home, room: '202' })), ['shipTo.address']],
  ['another name', ctx(shipTo(home, '佐藤 花子')), ['shipTo.name']],
  ['both', ctx(shipTo({ line: '大阪府大阪市北区梅田1-1-3' }, '佐藤 花子')), ['shipTo.address', 'shipTo.name']],
  ['no shipTo', ctx({}), null],
  ['same address written as a line', ctx(shipTo({ line: '東京都渋谷区道玄坂1丁目2番3号 101号室' })), null],
  ['same address, full width and 1-2-3-101', ctx(shipTo({ prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '１－２－３－１０１' })), null],
  ['same name without the space', ctx(shipTo(home, '山田太郎')), null],
  ['same name, full-width space', ctx(shipTo(home, '山田　太郎')), null],
  ['unreadable addresses compared as text', ctx({ buyer: { name: 'x', email: 'a@b.jp', address: { line: 'どこか 1' } }, shipTo: { address: { line: 'どこか　1' } } }), null],
  ['unreadable, different text', ctx({ buyer: { name: 'x', email: 'a@b.jp', address: { line: 'どこか 1' } }, shipTo: { address: { line: 'よそ 2' } } }), ['shipTo.address']],
]
for (const [name, c, fields] of differs) {
  t.test(`SHIP_TO_DIFFERS: ${name}`, async (t) => {
    const r = fire(shipToDiffers, c)
    if (fields === null) return void t.equal(r, null)
    t.same([r?.code, r?.weight, r?.fields], ['SHIP_TO_DIFFERS', RULESET.weights.SHIP_TO_DIFFERS, fields])
  })
}
