// POST /v1/shipments/check: the final ship-to against the store and the place types, combined
// with the authorization-time answer and what changed; orders never scored; scopes and tenancy.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'
import { HOME, order } from './order-fixture.js'

const STORE = 'issuer,reported_on,prefecture,city,town,block,room,building\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,\n'

async function setUp (t: Parameters<typeof build>[0]) {
  const built = await build(t)
  await built.app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  const m = await createMerchant(built.app)
  return { ...built, merchantId: m.id, key: (await createKey(built.app, m.id)).key }
}

const check = (app: FastifyInstance, key: string, body: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/v1/shipments/check', headers: bearer(key), payload: body })

t.test('an order never scored: the ship-to alone', async (t) => {
  const { app, key } = await setUp(t)
  const res = await check(app, key, { orderId: 'S-NEW', shipTo: { name: '山田 太郎', address: { line: '東京都渋谷区道玄坂1-2-3 202' } }, carrier: 'yamato', trackingNumber: '4111111111111111' })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { orderId: 'S-NEW', level: 'high', recommendation: 'hold', addressMatch: { result: 'full', count: 1 }, authorization: null, changes: [], id: /^[0-9a-f-]{36}$/ })
  t.same(res.json().reasons.map((r: { code: string }) => r.code), ['FRAUD_ADDRESS_FULL'])
  const clean = await check(app, key, { orderId: 'S-NEW2', shipTo: { address: HOME } })
  t.match(clean.json(), { score: 0, level: 'low', recommendation: 'proceed', reasons: [], changes: [] })
})

t.test('after scoring: unchanged ship-to keeps the answer; a changed one says what changed', async (t) => {
  const { app, key } = await setUp(t)
  const scored = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: 'S-1', card: { bin: '401234', last4: '4242', issuerCountry: 'US' } }) })
  t.equal(scored.statusCode, 200, scored.body)
  const same = await check(app, key, { orderId: 'S-1', shipTo: { name: '山田 太郎', phone: '03-3210-1234', address: HOME } })
  t.match(same.json(), { score: scored.json().score, level: scored.json().level, changes: [], authorization: { score: scored.json().score, level: scored.json().level } })
  t.same(same.json().reasons.map((r: { code: string }) => r.code), ['CARD_OVERSEAS'], 'authorization reasons stand')
  const moved = await check(app, key, { orderId: 'S-1', shipTo: { name: '佐藤 花子', address: { line: '東京都渋谷区道玄坂1-2-3 ヒューマックス 202号室' } } })
  t.equal(moved.statusCode, 200)
  t.match(moved.json(), { level: 'high', recommendation: 'hold', addressMatch: { result: 'full' } })
  t.same(moved.json().changes, [
    { type: 'address_changed', field: 'shipTo.address' },
    { type: 'name_changed', field: 'shipTo.name' },
    { type: 'reason_added', code: 'FRAUD_ADDRESS_FULL' },
  ])
  t.same(moved.json().reasons.map((r: { code: string }) => r.code), ['FRAUD_ADDRESS_FULL', 'CARD_OVERSEAS'])
})

t.test('a place-type reason found at authorization goes away when the ship-to is fixed', async (t) => {
  const { app, key } = await setUp(t)
  await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: 'S-2', shipTo: { address: { line: '東京都千代田区丸の内2-7-2 東京中央郵便局留' } } }) })
  const fixed = await check(app, key, { orderId: 'S-2', shipTo: { address: HOME } })
  t.match(fixed.json().changes, [{ type: 'address_changed' }])
  t.ok(fixed.json().changes.some((c: { type: string; code?: string }) => c.type === 'reason_removed' && c.code === 'PICKUP_OR_HOLD_ADDRESS'))
  t.notOk(fixed.json().reasons.some((r: { code: string }) => r.code === 'PICKUP_OR_HOLD_ADDRESS'))
})

t.test('cash on delivery: only the blocklist at shipping time too', async (t) => {
  const { app, key } = await setUp(t)
  await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: 'S-COD', paymentMethod: 'cod', card: undefined }) })
  const res = await check(app, key, { orderId: 'S-COD', shipTo: { address: { line: '東京都渋谷区道玄坂1-2-3 202' } } })
  t.match(res.json(), { score: 0, reasons: [], addressMatch: { result: 'none' } })
  await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'address', value: '東京都渋谷区道玄坂1-2-3' } })
  // The same body again within the replay window would be a retry: a deliberate re-check names itself with a key.
  const blocked = await app.inject({
    method: 'POST', url: '/v1/shipments/check', headers: { ...bearer(key), 'idempotency-key': 'recheck-after-blocklist' },
    payload: { orderId: 'S-COD', shipTo: { address: { line: '東京都渋谷区道玄坂1-2-3 202' } } },
  })
  t.same(blocked.json().reasons.map((r: { code: string }) => r.code), ['BLOCKLIST_HIT'])
})

t.test('scopes, tenancy and refusals', async (t) => {
  const { app, merchantId } = await setUp(t)
  const shipping = (await createKey(app, merchantId, { preset: 'shipping' })).key
  t.equal((await check(app, shipping, { orderId: 'S-9', shipTo: { address: HOME } })).statusCode, 200, 'a shipping key may check shipments')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(shipping), payload: { type: 'email', value: 'a@b.jp' } }), 'FORBIDDEN')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/blocklist', headers: bearer(shipping) }), 'FORBIDDEN')
  const other = (await createKey(app, (await createMerchant(app, '他社')).id)).key
  await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(other), payload: order({ orderId: 'S-OTHER', card: { bin: '401234', last4: '4242', issuerCountry: 'US' } }) })
  const res = await check(app, shipping, { orderId: 'S-OTHER', shipTo: { address: HOME } })
  t.match(res.json(), { authorization: null, reasons: [] }, 'another merchant\'s order is not this merchant\'s')
  assertProblem(t, await check(app, shipping, { orderId: 'S-9', shipTo: { address: HOME, name: '4111 1111 1111 1111' } }), 'CARD_NUMBER_REFUSED', {
    errors: [{ path: 'body.shipTo.name', message: /full card number/ }],
  })
  assertProblem(t, await check(app, shipping, { orderId: 'S-9' }), 'VALIDATION_FAILED', { errors: [{ path: 'body.shipTo', message: /required/ }] })
})
