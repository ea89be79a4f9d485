// The signals that read the database's evidence: FRAUD_ADDRESS_FULL / PARTIAL, BLOCKLIST_HIT,
// FRAUD_HISTORY_MATCH / SIMILAR, VELOCITY_SHIP_TO / BUYER and AMOUNT_UNUSUAL — and the pure
// helpers that turn rows into that evidence (distinct buyers, history judgments).
import t from 'tap'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'
import { NO_EVIDENCE, type Evidence, type ScoringContext } from '../../../src/domain/scoring/evidence.js'
import { historyProbes, judgeHistory } from '../../../src/domain/scoring/history.js'
import type { OrderInput } from '../../../src/domain/scoring/order.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { DEFAULT_THRESHOLDS, verdict } from '../../../src/domain/scoring/score.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { threeDSAuthenticated } from '../../../src/domain/scoring/signals/three-ds.js'
import { amountUnusual, unusualAbove } from '../../../src/domain/scoring/signals/amount-unusual.js'
import { blocklistHit } from '../../../src/domain/scoring/signals/blocklist-hit.js'
import { fraudAddressFull, fraudAddressPartial } from '../../../src/domain/scoring/signals/fraud-address.js'
import { fraudHistoryMatch, fraudHistorySimilar } from '../../../src/domain/scoring/signals/fraud-history.js'
import { velocityBuyer, velocityShipTo } from '../../../src/domain/scoring/signals/velocity.js'
import { distinctBuyers } from '../../../src/domain/scoring/velocity-buyers.js'

const home = { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '101' }
function ctx (evidence: Partial<Evidence>, patch: Partial<OrderInput> = {}): ScoringContext {
  const order: OrderInput = { orderId: '1', amount: 10000, paymentMethod: 'card', buyer: { name: '山田 太郎', email: 'taro@example.jp', address: home }, ...patch }
  const a = normalizeAddress(home)
  return { order, buyerAddress: a, shipToAddress: a, evidence: { ...NO_EVIDENCE, ...evidence } }
}

t.test('FRAUD_ADDRESS_FULL and PARTIAL follow the store match of the ship-to', async (t) => {
  const full = ctx({ fraudAddress: { result: 'full', count: 2 } })
  t.match(fire(fraudAddressFull, full), { code: 'FRAUD_ADDRESS_FULL', weight: RULESET.weights.FRAUD_ADDRESS_FULL, fields: ['buyer.address'] })
  t.equal(fire(fraudAddressPartial, full), null)
  const partial = ctx({ fraudAddress: { result: 'partial', count: 1 } }, { shipTo: { address: home } })
  t.match(fire(fraudAddressPartial, partial), { code: 'FRAUD_ADDRESS_PARTIAL', fields: ['shipTo.address'] })
  t.equal(fire(fraudAddressFull, partial), null)
  t.equal(fire(fraudAddressFull, ctx({})), null, 'none → nothing')
  t.equal(fire(fraudAddressPartial, ctx({})), null)
  const three = fire(threeDSAuthenticated, ctx({}, { card: { bin: '411111', last4: '1111', threeDSecure: 'authenticated' } }))!
  t.match(verdict([fire(fraudAddressFull, full)!, three], DEFAULT_THRESHOLDS), { level: 'high', recommendation: 'hold' }, 'a full match with 3-D Secure is still high')
  t.match(verdict([fire(fraudAddressPartial, partial)!, three], DEFAULT_THRESHOLDS), { level: 'elevated' }, 'a partial match with 3-D Secure is still elevated')
})

t.test('BLOCKLIST_HIT names the types and fields that hit', async (t) => {
  t.equal(fire(blocklistHit, ctx({})), null)
  const r = fire(blocklistHit, ctx({ blocklist: [{ type: 'email', field: 'buyer.email' }, { type: 'ip', field: 'buyer.ip' }, { type: 'email', field: 'buyer.email' }] }))
  t.match(r, { code: 'BLOCKLIST_HIT', fields: ['buyer.email', 'buyer.ip'] })
  t.match(r?.message.en, /email, ip/)
  const three = fire(threeDSAuthenticated, ctx({}, { card: { bin: '411111', last4: '1111', threeDSecure: 'authenticated' } }))!
  t.match(verdict([r!, three], DEFAULT_THRESHOLDS), { level: 'high', recommendation: 'hold' }, 'a blocklist hit with 3-D Secure is still high')
})

t.test('FRAUD_HISTORY: a match wins over a resemblance; fields are named', async (t) => {
  t.equal(fire(fraudHistoryMatch, ctx({})), null)
  t.equal(fire(fraudHistorySimilar, ctx({})), null)
  const both = ctx({ history: [{ field: 'buyer.phone', kind: 'phone', how: 'exact' }, { field: 'buyer.name', kind: 'name', how: 'similar' }] })
  t.match(fire(fraudHistoryMatch, both), { code: 'FRAUD_HISTORY_MATCH', fields: ['buyer.phone'] })
  t.equal(fire(fraudHistorySimilar, both), null, 'never both')
  const similar = ctx({ history: [{ field: 'buyer.name', kind: 'name', how: 'similar' }, { field: 'shipTo.address', kind: 'address', how: 'similar' }] })
  t.equal(fire(fraudHistoryMatch, similar), null)
  t.match(fire(fraudHistorySimilar, similar), { code: 'FRAUD_HISTORY_SIMILAR', fields: ['buyer.name', 'shipTo.address'] })
})

t.test('history judgments: exact e-mail, phone and address match; names only resemble', async (t) => {
  const ids = [
    { kind: 'email' as const, value: 'taro@example.jp', field: 'buyer.email' },
    { kind: 'email_local' as const, value: 'taro.yamada', field: 'buyer.email' },
    { kind: 'phone' as const, value: '+819012345678', field: 'buyer.phone' },
    { kind: 'name' as const, value: '山田太郎', field: 'buyer.name' },
    { kind: 'address' as const, value: '東京都渋谷区道玄坂#1-2-3|101', field: 'buyer.address' },
  ]
  const probes = historyProbes(ids, [{ value: '東京都渋谷区道玄坂#1-2-3', field: 'buyer.address' }])
  t.equal(probes.length, 6, 'the other reading is searched too')
  t.same(probes.filter((p) => p.similar).map((p) => p.kind), ['email_local', 'name', 'address'])
  const row = (probe: number, value: string, similarity = 1) => ({ probe, kind: probes[probe]!.kind, value, similarity })
  t.same(judgeHistory(probes, [row(0, 'taro@example.jp')]), [{ field: 'buyer.email', kind: 'email', how: 'exact' }])
  t.same(judgeHistory(probes, [row(2, '+819012345678')]), [{ field: 'buyer.phone', kind: 'phone', how: 'exact' }])
  t.same(judgeHistory(probes, [row(3, '山田太郎')]), [{ field: 'buyer.name', kind: 'name', how: 'similar' }], 'a shared name is only a resemblance')
  t.same(judgeHistory(probes, [row(3, '山田太朗', 0.65)]), [{ field: 'buyer.name', kind: 'name', how: 'similar' }])
  t.same(judgeHistory(probes, [row(3, '山田次郎', 0.35)]), [], 'below the name threshold')
  t.same(judgeHistory(probes, [row(4, '東京都渋谷区道玄坂#1-2-3|102', 0.81)]), [{ field: 'buyer.address', kind: 'address', how: 'similar' }], 'another room of the building')
  t.same(judgeHistory(probes, [row(5, '東京都渋谷区道玄坂#1-2-3')]), [{ field: 'buyer.address', kind: 'address', how: 'exact' }])
  t.same(judgeHistory(probes, [row(1, 'taro.yamada')]), [{ field: 'buyer.email', kind: 'email', how: 'similar' }], 'same local part elsewhere')
  t.same(judgeHistory(probes, [row(1, 'taro.yamada2', 0.8)]), [{ field: 'buyer.email', kind: 'email', how: 'similar' }], 'a number away')
  t.same(judgeHistory(probes, [row(1, 'hanako.suzuki', 0.31)]), [], 'a different person')
  t.same(judgeHistory(probes, [{ probe: 99, kind: 'email', value: 'x', similarity: 1 }]), [], 'unknown probe ignored')
})

t.test('distinct buyers: one buyer is the same e-mail or the same name', async (t) => {
  const b = (buyer_email: string | null, buyer_name: string | null) => ({ buyer_email, buyer_name })
  t.equal(distinctBuyers([]), 0)
  t.equal(distinctBuyers([b('a@x.jp', 'ア')]), 1)
  t.equal(distinctBuyers([b('a@x.jp', 'ア'), b('a@x.jp', 'イ')]), 1, 'same e-mail, another name')
  t.equal(distinctBuyers([b('a@x.jp', 'ア'), b('b@x.jp', 'ア')]), 1, 'same name, another e-mail')
  t.equal(distinctBuyers([b('a@x.jp', 'ア'), b('b@x.jp', 'イ'), b('c@x.jp', 'ウ')]), 3)
  t.equal(distinctBuyers([b('a@x.jp', 'ア'), b('b@x.jp', 'イ'), b('b@x.jp', 'ア')]), 1, 'chained through a third order')
  t.equal(distinctBuyers([b(null, null), b(null, null)]), 2, 'nothing to join on')
})

t.test('VELOCITY_SHIP_TO fires from the third distinct buyer; VELOCITY_BUYER from the third high-value order', async (t) => {
  t.equal(fire(velocityShipTo, ctx({ shipToBuyers: 2 })), null)
  t.match(fire(velocityShipTo, ctx({ shipToBuyers: 3 })), { code: 'VELOCITY_SHIP_TO', fields: ['buyer.address'] })
  t.equal(fire(velocityBuyer, ctx({ buyerHighValueOrders: 2 })), null)
  t.match(fire(velocityBuyer, ctx({ buyerHighValueOrders: 3 })), { code: 'VELOCITY_BUYER', fields: ['buyer.email'] })
})

t.test('AMOUNT_UNUSUAL: far above the merchant\'s usual order, once there are enough orders', async (t) => {
  const stats = (amounts: number[]) => ({
    n: amounts.length, sumLog: amounts.reduce((s, a) => s + Math.log(a), 0), sumLogSq: amounts.reduce((s, a) => s + Math.log(a) ** 2, 0),
  })
  const usual = Array.from({ length: 100 }, (_, i) => 3000 + (i % 10) * 200)
  t.equal(unusualAbove(stats(usual.slice(0, 29))), null, 'too few orders to judge')
  const above = unusualAbove(stats(usual))!
  t.ok(above.typical > 3000 && above.typical < 5000)
  t.equal(fire(amountUnusual, ctx({ amounts: stats(usual) }, { amount: 4000 })), null, 'a usual amount')
  t.equal(fire(amountUnusual, ctx({ amounts: stats(usual) }, { amount: Math.floor(above.limit) })), null, 'at the limit')
  t.match(fire(amountUnusual, ctx({ amounts: stats(usual) }, { amount: 300_000 })), { code: 'AMOUNT_UNUSUAL', fields: ['amount'] })
  t.equal(fire(amountUnusual, ctx({ amounts: stats(usual.slice(0, 10)) }, { amount: 300_000 })), null, 'no judgement on 10 orders')
  const spread = stats([...usual, 50_000, 80_000, 120_000])
  t.ok(unusualAbove(spread)!.limit > above.limit, 'a merchant with a wide range tolerates more')
})
