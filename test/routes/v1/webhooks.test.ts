// /v1/webhooks: create (secret once), the eleventh is 409, URL rules, list, get, update, rotate,
// delete, delivery log and redelivery; scopes and tenancy.
import t from 'tap'
import { assertProblem, bearer, build, createKey, createMerchant } from '../../helper.js'
import { order } from './order-fixture.js'

async function setUp (t: Parameters<typeof build>[0], env: Record<string, string> = { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true' }) {
  const built = await build(t, { env })
  const m = await createMerchant(built.app)
  return { ...built, merchantId: m.id, key: (await createKey(built.app, m.id)).key }
}

const hook = (n = 1) => ({ url: `https://hooks.example.com/shinsa/${n}`, minLevel: 'elevated', mode: 'immediate' })

t.test('create shows the secret once; list and get never do', async (t) => {
  const { app, key } = await setUp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { ...hook(), mode: 'digest' } })
  t.equal(res.statusCode, 201, res.body)
  const created = res.json()
  t.match(created, { id: /^[0-9a-f-]{36}$/, url: 'https://hooks.example.com/shinsa/1', minLevel: 'elevated', mode: 'digest', window: { start: '07:00', end: '22:00' }, secret: /^whsec_/ })
  const list = await app.inject({ method: 'GET', url: '/v1/webhooks', headers: bearer(key) })
  t.equal(list.json().items.length, 1)
  t.notMatch(list.body, created.secret)
  const one = await app.inject({ method: 'GET', url: `/v1/webhooks/${created.id}`, headers: bearer(key) })
  t.same(Object.keys(one.json()).sort(), ['createdAt', 'id', 'minLevel', 'mode', 'updatedAt', 'url', 'window'])
})

t.test('at most 10 endpoints: the eleventh is 409', async (t) => {
  const { app, key } = await setUp(t)
  const made = await Promise.all(Array.from({ length: 11 }, (_, i) => app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: hook(i) })))
  t.equal(made.filter((r) => r.statusCode === 201).length, 10, 'ten, even when created at once')
  assertProblem(t, made.find((r) => r.statusCode !== 201)!, 'CONFLICT', { detail: /at most 10/ })
})

t.test('URL and window rules', async (t) => {
  const { app, key } = await setUp(t, {})
  for (const [url, message] of [
    ['http://hooks.example.com/x', /https/],
    ['http://127.0.0.1:8080/x', /./],
    ['https://user:pass@hooks.example.com/x', /./],
    ['https://10.0.0.5/x', /./],
    ['https://169.254.169.254/latest/meta-data', /./],
    ['not a url', /./],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { ...hook(), url } })
    assertProblem(t, res, 'VALIDATION_FAILED', { errors: [{ path: 'body.url', message }] })
  }
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { ...hook(), mode: 'digest', window: { start: '22:00', end: '07:00' } } }), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.window.start', message: /before/ }],
  })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { ...hook(), minLevel: 'low' } }), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.minLevel', message: /one of/ }],
  })
})

t.test('loopback http only with SHINSA_ALLOW_LOOPBACK_WEBHOOKS', async (t) => {
  const { app, key } = await setUp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { ...hook(), url: 'http://127.0.0.1:9/hook' } })
  t.equal(res.statusCode, 201, res.body)
})

t.test('update, rotate, delete; tenancy and scopes', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const id = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: hook() })).json().id
  const patched = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: bearer(key), payload: { minLevel: 'high', mode: 'digest', window: { start: '09:00', end: '18:00' } } })
  t.match(patched.json(), { minLevel: 'high', mode: 'digest', window: { start: '09:00', end: '18:00' } })
  assertProblem(t, await app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: bearer(key), payload: {} }), 'VALIDATION_FAILED')
  const rotated = await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/rotate-secret`, headers: bearer(key) })
  t.match(rotated.json(), { id, secret: /^whsec_/ })

  const other = (await createKey(app, (await createMerchant(app, '他社')).id)).key
  for (const [method, url, payload] of [
    ['GET', `/v1/webhooks/${id}`, undefined], ['PATCH', `/v1/webhooks/${id}`, { minLevel: 'high' }], ['DELETE', `/v1/webhooks/${id}`, undefined],
    ['POST', `/v1/webhooks/${id}/rotate-secret`, undefined], ['POST', `/v1/webhooks/${id}/test`, undefined], ['GET', `/v1/webhooks/${id}/deliveries`, undefined],
  ] as const) {
    assertProblem(t, await app.inject({ method, url, headers: bearer(other), ...(payload !== undefined ? { payload } : {}) }), 'NOT_FOUND', { detail: new RegExp(id) })
  }
  const general = (await createKey(app, merchantId, { preset: 'general' })).key
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/webhooks', headers: bearer(general) }), 'FORBIDDEN')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: bearer(key) })).statusCode, 204)
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: bearer(key) }), 'NOT_FOUND')
})

t.test('test event, delivery log and redelivery answer for the endpoint only', async (t) => {
  const { app, key } = await setUp(t)
  const id = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: hook() })).json().id
  const test = await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/test`, headers: bearer(key) })
  t.equal(test.statusCode, 202, test.body)
  const log = await app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: bearer(key) })
  t.match(log.json(), { items: [{ id: test.json().deliveryId, eventId: test.json().eventId, status: 'pending', attempts: [] }], nextCursor: null })
  const again = await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/${test.json().deliveryId}/redeliver`, headers: bearer(key) })
  t.equal(again.statusCode, 202)
  assertProblem(t, await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`, headers: bearer(key) }), 'NOT_FOUND')
})

t.test('a digest cannot be redelivered before its hour', async (t) => {
  const { app, key } = await setUp(t)
  const id = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { ...hook(), mode: 'digest', window: { start: '00:00', end: '23:00' } } })).json().id
  await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'email', value: 'fraud@example.jp' } })
  const scored = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: 'RD-1', buyer: { ...(order().buyer as object), email: 'fraud@example.jp' } }) })
  t.equal(scored.json().level, 'high')
  const [digest] = (await app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: bearer(key) })).json().items
  t.ok(new Date(digest.digestSlot).getTime() > Date.now(), 'its hour is still to come')
  const early = await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/${digest.id}/redeliver`, headers: bearer(key) })
  assertProblem(t, early, 'CONFLICT', { detail: new RegExp(`${digest.id} is the digest of ${digest.digestSlot.replace(/[.]/g, '[.]')}; it cannot be sent before that hour`) })
  const after = (await app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: bearer(key) })).json().items[0]
  t.equal(after.nextAttemptAt, digest.digestSlot, 'and it still goes at its hour')
})
