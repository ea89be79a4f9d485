// Idempotency-Key (src/plugins/idempotency.ts): a retry with the same key answers the stored
// answer and does nothing else; another body under the key is 422; a call still running is 409;
// keys are per merchant; bad keys are 400; expired keys are purged and run afresh.
import t from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../helper.js'
import { HOME } from '../routes/v1/order-fixture.js'
import { startRetentionPurge } from '../../src/jobs/retention-purge.js'

const STORE = 'issuer,reported_on,prefecture,city,town,block,room,building\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,\n'
const FRAUD_SHIP_TO = { address: { line: '東京都渋谷区道玄坂1-2-3 202' } }

async function setUp (t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const built = await build(t, { env: { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true', ...env } })
  const { app } = built
  await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  const hook = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { url: 'https://hooks.example.com/shinsa', minLevel: 'elevated', mode: 'immediate' } })
  t.equal(hook.statusCode, 201, hook.body)
  return { ...built, merchantId: m.id, key }
}

const post = (app: FastifyInstance, key: string, url: string, payload: unknown, idem?: string) =>
  app.inject({ method: 'POST', url, headers: { ...bearer(key), ...(idem !== undefined ? { 'idempotency-key': idem } : {}) }, payload: payload as Record<string, unknown> })

async function count (app: FastifyInstance, table: 'shipment_checks' | 'webhook_events' | 'address_matches' | 'idempotency_keys', merchantId?: string): Promise<number> {
  const where = merchantId === undefined ? sql`` : table === 'idempotency_keys' ? sql`where owner = ${merchantId}` : sql`where merchant_id = ${merchantId}`
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} ${where}`.execute(app.db)
  return rows[0]!.n
}

t.test('a shipment check retried with the same key: the same answer, one check, one webhook event', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const body = { orderId: 'I-1', shipTo: FRAUD_SHIP_TO }
  const first = await post(app, key, '/v1/shipments/check', body, 'ship-I-1-attempt')
  t.equal(first.statusCode, 200, first.body)
  t.equal(first.headers['idempotent-replayed'], undefined, 'the first call is no replay')
  t.match(first.json(), { recommendation: 'hold' })
  const retry = await post(app, key, '/v1/shipments/check', body, 'ship-I-1-attempt')
  t.equal(retry.statusCode, 200)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.match(retry.headers['content-type'], /^application\/json/)
  t.same(retry.json(), first.json(), 'the stored answer: same id, same checkedAt')
  t.equal(await count(app, 'shipment_checks', merchantId), 1, 'one check stored')
  t.equal(await count(app, 'webhook_events', merchantId), 1, 'one webhook event: the receiver deduplicates nothing')
  // The key as the IETF draft writes it (a structured-field string) is the same key.
  const quoted = await post(app, key, '/v1/shipments/check', body, '"ship-I-1-attempt"')
  t.equal(quoted.headers['idempotent-replayed'], 'true')
  t.equal(quoted.json().id, first.json().id)
})

t.test('the same key with another body is 422 naming the header, and runs nothing', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  t.equal((await post(app, key, '/v1/shipments/check', { orderId: 'I-2', shipTo: FRAUD_SHIP_TO }, 'k-2')).statusCode, 200)
  const other = await post(app, key, '/v1/shipments/check', { orderId: 'I-2', shipTo: { address: HOME } }, 'k-2')
  assertProblem(t, other, 'IDEMPOTENCY_KEY_REUSED', {
    detail: 'Idempotency-Key was used with a different request; use a new key for a new request',
    instance: '/v1/shipments/check',
    errors: [{ path: 'header.idempotency-key', message: 'was used with a different request' }],
  })
  t.equal(await count(app, 'shipment_checks', merchantId), 1)
  // Another operation under the key is another request too.
  assertProblem(t, await post(app, key, '/v1/address-matches', { orderId: 'I-2', email: 'a@example.jp', address: HOME }, 'k-2'), 'IDEMPOTENCY_KEY_REUSED')
})

t.test('a retry while the first call still runs is 409 with Retry-After', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const body = { orderId: 'I-3', email: 'a@example.jp', address: HOME }
  t.equal((await post(app, key, '/v1/address-matches', body, 'k-3')).statusCode, 200)
  // As the first call left it while running: claimed, no answer yet, its lease not over.
  await sql`update idempotency_keys set response_status = null, locked_until = now() + interval '1 minute' where owner = ${merchantId}`.execute(app.db)
  const busy = await post(app, key, '/v1/address-matches', body, 'k-3')
  assertProblem(t, busy, 'IDEMPOTENCY_KEY_IN_PROGRESS', { errors: [{ path: 'header.idempotency-key', message: 'is in use by a call still running' }] })
  t.equal(busy.headers['retry-after'], '1')
  t.equal(await count(app, 'address_matches', merchantId), 1)
  // A holder that died: once its lease lapsed, the retry runs.
  await sql`update idempotency_keys set locked_until = now() - interval '1 second' where owner = ${merchantId}`.execute(app.db)
  const taken = await post(app, key, '/v1/address-matches', body, 'k-3')
  t.equal(taken.statusCode, 200)
  t.equal(taken.headers['idempotent-replayed'], undefined)
  t.equal(await count(app, 'address_matches', merchantId), 2)
})

t.test('keys are per merchant: B\'s call under A\'s key runs for B and sees nothing of A\'s', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const otherId = (await createMerchant(app, '他社')).id
  const other = (await createKey(app, otherId)).key
  const body = { orderId: 'I-4', shipTo: FRAUD_SHIP_TO }
  const a = await post(app, key, '/v1/shipments/check', body, 'shared-key')
  const b = await post(app, other, '/v1/shipments/check', body, 'shared-key')
  t.equal(b.statusCode, 200)
  t.equal(b.headers['idempotent-replayed'], undefined, 'not A\'s answer')
  t.not(b.json().id, a.json().id)
  t.equal(await count(app, 'shipment_checks', otherId), 1)
  // B's different body under the same key is no conflict with A's either.
  t.equal((await post(app, other, '/v1/address-matches', { orderId: 'I-4', email: 'a@example.jp', address: HOME }, 'another-shared')).statusCode, 200)
  t.equal((await post(app, key, '/v1/address-matches', { orderId: 'I-5', email: 'a@example.jp', address: HOME }, 'another-shared')).statusCode, 200)
  t.equal(await count(app, 'idempotency_keys', merchantId), 2)
})

t.test('a bad key is 400 naming the header; the api-key operation takes none', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  for (const bad of ['x'.repeat(256), 'キー', 'tab\there', '""']) {
    assertProblem(t, await post(app, key, '/v1/blocklist', { type: 'email', value: 'bad@example.com' }, bad), 'VALIDATION_FAILED', {
      errors: [{ path: 'header.idempotency-key', message: 'must be 1–255 printable ASCII characters' }],
    })
  }
  t.equal((await post(app, key, '/v1/blocklist', { type: 'email', value: 'ok@example.com' }, 'x'.repeat(255))).statusCode, 201)
  // Its answer holds the key itself, stored nowhere but as a hash: a retry makes another key.
  const created = await app.inject({ method: 'POST', url: `/v1/merchants/${merchantId}/api-keys`, headers: { ...operator, 'idempotency-key': 'k' }, payload: { preset: 'shipping' } })
  t.equal(created.statusCode, 201)
  t.equal(await count(app, 'idempotency_keys'), 1, 'nothing stored for the api-key operation')
})

t.test('a call refused before it runs (403) claims no key', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const shipping = (await createKey(app, merchantId, { preset: 'shipping' })).key
  const entry = { type: 'email', value: 'refused@example.com' }
  assertProblem(t, await post(app, shipping, '/v1/blocklist', entry, 'k-403'), 'FORBIDDEN')
  assertProblem(t, await post(app, key, '/v1/blocklist', { type: 'bogus' }, 'k-403'), 'VALIDATION_FAILED')
  t.equal(await count(app, 'idempotency_keys'), 0, 'neither the refused nor the invalid call stored anything')
  const allowed = await post(app, key, '/v1/blocklist', entry, 'k-403')
  t.equal(allowed.statusCode, 201)
  t.equal(allowed.headers['idempotent-replayed'], undefined)
})

t.test('a streamed CSV batch retried with the same key: one batch', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const csv = 'ORD-1,hanako@example.jp,東京都,渋谷区,道玄坂,1-2-3,202,\n'
  const send = () => app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: { ...bearer(key), 'content-type': 'text/csv', 'idempotency-key': 'batch-1' }, payload: csv })
  const first = await send()
  t.equal(first.statusCode, 202, first.body)
  const retry = await send()
  t.equal(retry.statusCode, 202)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.equal(retry.headers.location, first.headers.location, 'the Location header is kept')
  t.equal(retry.json().id, first.json().id)
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from address_match_batches where merchant_id = ${merchantId}`.execute(app.db)
  t.equal(rows[0]!.n, 1)
})

t.test('keys expire after a day: the purge deletes them and the key runs afresh', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const body = { orderId: 'I-6', email: 'a@example.jp', address: HOME }
  const first = await post(app, key, '/v1/address-matches', body, 'k-6')
  const { rows } = await sql<{ hours: number }>`select round(extract(epoch from expires_at - created_at) / 3600)::int as hours from idempotency_keys where owner = ${merchantId}`.execute(app.db)
  t.equal(rows[0]!.hours, 24, 'kept 24 h')
  await sql`update idempotency_keys set expires_at = now() - interval '1 second' where owner = ${merchantId}`.execute(app.db)
  const again = await post(app, key, '/v1/address-matches', body, 'k-6')
  t.equal(again.headers['idempotent-replayed'], undefined, 'an expired key is a new key')
  t.not(again.json().id, first.json().id)
  await sql`update idempotency_keys set expires_at = now() - interval '1 second' where owner = ${merchantId}`.execute(app.db)
  const purge = startRetentionPurge(app.db, app.log, { loop: false })
  t.teardown(() => purge.stop())
  t.match(await purge.runOnce(), { idempotency_keys: 1 })
  t.equal(await count(app, 'idempotency_keys'), 0)
})

t.test('racing calls: the same key at once runs once; the same body without a key stores one check', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const body = { orderId: 'I-R', shipTo: FRAUD_SHIP_TO }
  const keyed = await Promise.all(Array.from({ length: 5 }, () => post(app, key, '/v1/shipments/check', body, 'race-key')))
  const ran = keyed.filter((r) => r.statusCode === 200 && r.headers['idempotent-replayed'] === undefined)
  t.equal(ran.length, 1, `one call ran (${keyed.map((r) => r.statusCode).join(', ')})`)
  for (const r of keyed) {
    if (r.statusCode === 200) t.equal(r.json().id, ran[0]!.json().id, 'a replay answers the one that ran')
    else assertProblem(t, r, 'IDEMPOTENCY_KEY_IN_PROGRESS')
  }
  t.equal(await count(app, 'shipment_checks', merchantId), 1)
  const plain = { orderId: 'I-R2', shipTo: FRAUD_SHIP_TO }
  const unkeyed = await Promise.all(Array.from({ length: 5 }, () => post(app, key, '/v1/shipments/check', plain)))
  t.same(unkeyed.map((r) => r.statusCode), [200, 200, 200, 200, 200])
  t.equal(new Set(unkeyed.map((r) => r.json().id)).size, 1, 'every caller got the one stored check')
  t.equal(unkeyed.filter((r) => r.headers['idempotent-replayed'] === undefined).length, 1)
  t.equal(await count(app, 'shipment_checks', merchantId), 2)
  t.equal(await count(app, 'webhook_events', merchantId), 2, 'one event per check stored')
})
