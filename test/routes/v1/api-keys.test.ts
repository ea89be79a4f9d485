import t from 'tap'
import { sql } from 'kysely'
import { createHash } from 'node:crypto'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'
import { guard } from '../../../src/plugins/auth.js'
import { PRESETS, SCOPES } from '../../../src/domain/scopes.js'

t.test('presets carry the scopes the README documents for them', async (t) => {
  const { app } = await build(t)
  const m = await createMerchant(app)
  const full = await createKey(app, m.id, { preset: 'full' })
  t.same(full.scopes, [...SCOPES])
  const general = await createKey(app, m.id, { preset: 'general' })
  t.same(general.scopes, SCOPES.filter((s) => !['webhooks:manage', 'personal-data:erase', 'rules:draft', 'rules:publish'].includes(s)))
  const shipping = await createKey(app, m.id, { preset: 'shipping' })
  t.same(shipping.scopes, ['shipments:check', 'addresses:match'])
  const custom = await createKey(app, m.id, { scopes: ['lists:read', 'orders:score'], name: 'rules engine' })
  t.same(custom.scopes, ['orders:score', 'lists:read'], 'canonical order')
  t.same(PRESETS.general.length, SCOPES.length - 4)
})

t.test('a key is shown once, stored only as its SHA-256 hash', async (t) => {
  const { app } = await build(t)
  const m = await createMerchant(app)
  const res = await app.inject({ method: 'POST', url: `/v1/merchants/${m.id}/api-keys`, headers: operator, payload: { preset: 'general', name: 'checkout' } })
  t.equal(res.statusCode, 201)
  t.equal(res.headers['cache-control'], 'no-store')
  const created = res.json()
  t.match(created, { id: /^[0-9a-f-]{36}$/, merchantId: m.id, name: 'checkout', expiresAt: null, key: /^shinsa_[A-Za-z0-9_-]{43}$/ })
  t.equal(created.prefix, created.key.slice(0, 15))

  const { rows } = await sql<{ key_hash: Buffer; row: string }>`select key_hash, api_keys::text as row from api_keys where id = ${created.id}`.execute(app.db)
  t.same(rows[0]!.key_hash, createHash('sha256').update(created.key).digest(), 'hash of the key')
  t.notMatch(rows[0]!.row, created.key.slice(15), 'the secret part is nowhere in the row')

  const list = await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}/api-keys`, headers: operator })
  t.equal(list.statusCode, 200)
  t.notMatch(list.body, created.key, 'lists never show the key')
  t.match(list.json().items, [{ id: created.id, prefix: created.prefix, status: 'active', revokedAt: null }])

  const second = await createKey(app, m.id)
  t.not(second.key, created.key)
})

t.test('expiry: a key stops working once expired; a past expiry is refused', async (t) => {
  // Time is moved by editing expires_at below: no cache, so the edit is seen at once.
  const { app } = await build(t, { env: { SHINSA_AUTH_CACHE_MS: '0' } })
  const m = await createMerchant(app)
  const past = await app.inject({
    method: 'POST', url: `/v1/merchants/${m.id}/api-keys`, headers: operator, payload: { preset: 'full', expiresAt: '2020-01-01T00:00:00Z' },
  })
  assertProblem(t, past, 'VALIDATION_FAILED', { errors: [{ path: 'body.expiresAt', message: 'must be in the future' }] })

  const leap = await app.inject({
    method: 'POST', url: `/v1/merchants/${m.id}/api-keys`, headers: operator, payload: { preset: 'full', expiresAt: '9999-12-31T23:59:60Z' },
  })
  assertProblem(t, leap, 'VALIDATION_FAILED', { errors: [{ path: 'body.expiresAt', message: 'must be in the future' }] })

  const soon = new Date(Date.now() + 60_000).toISOString()
  const key = await createKey(app, m.id, { preset: 'full', expiresAt: soon })
  t.equal((await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(key.key) })).statusCode, 200)

  // Move the expiry into the past rather than waiting: the check is the server's clock against it.
  await sql`update api_keys set expires_at = now() - interval '1 second' where id = ${key.id}`.execute(app.db)
  const expired = await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(key.key) })
  assertProblem(t, expired, 'UNAUTHORIZED', { detail: 'The API key has expired' })
  t.equal(expired.headers['www-authenticate'], 'Bearer realm="shinsa"')
  const list = await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}/api-keys`, headers: operator })
  t.equal(list.json().items[0].status, 'expired')
})

t.test('revocation takes effect at once and is idempotent; rotation keeps the new key working', async (t) => {
  const { app } = await build(t)
  const m = await createMerchant(app)
  const old = await createKey(app, m.id)
  const fresh = await createKey(app, m.id)

  const revoked = await app.inject({ method: 'DELETE', url: `/v1/merchants/${m.id}/api-keys/${old.id}`, headers: operator })
  t.equal(revoked.statusCode, 200)
  t.match(revoked.json(), { id: old.id, status: 'revoked', revokedAt: /Z$/ })
  const again = await app.inject({ method: 'DELETE', url: `/v1/merchants/${m.id}/api-keys/${old.id}`, headers: operator })
  t.equal(again.json().revokedAt, revoked.json().revokedAt, 'the first revocation time stays')

  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(old.key) }), 'UNAUTHORIZED', { detail: 'The API key has been revoked' })
  t.equal((await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(fresh.key) })).statusCode, 200)
})

t.test('key cache: a revocation made elsewhere (another instance) takes effect within SHINSA_AUTH_CACHE_MS', async (t) => {
  const { app } = await build(t, { env: { SHINSA_AUTH_CACHE_MS: '300' } })
  const m = await createMerchant(app)
  const key = await createKey(app, m.id)
  const read = () => app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(key.key) })
  t.equal((await read()).statusCode, 200)
  await sql`update api_keys set revoked_at = now() where id = ${key.id}`.execute(app.db) // as another instance would
  t.equal((await read()).statusCode, 200, 'still cached here')
  await new Promise((resolve) => setTimeout(resolve, 350))
  assertProblem(t, await read(), 'UNAUTHORIZED', { detail: 'The API key has been revoked' })

  const { app: uncached } = await build(t, { env: { SHINSA_AUTH_CACHE_MS: '0' } })
  const m2 = await createMerchant(uncached)
  const key2 = await createKey(uncached, m2.id)
  t.equal((await uncached.inject({ method: 'GET', url: `/v1/merchants/${m2.id}`, headers: bearer(key2.key) })).statusCode, 200)
  await sql`update api_keys set revoked_at = now() where id = ${key2.id}`.execute(uncached.db)
  assertProblem(t, await uncached.inject({ method: 'GET', url: `/v1/merchants/${m2.id}`, headers: bearer(key2.key) }), 'UNAUTHORIZED')
})

t.test('a key of one merchant cannot be revoked through another merchant', async (t) => {
  const { app } = await build(t)
  const a = await createMerchant(app, 'A')
  const b = await createMerchant(app, 'B')
  const keyA = await createKey(app, a.id)
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/merchants/${b.id}/api-keys/${keyA.id}`, headers: operator }), 'NOT_FOUND')
  t.equal((await app.inject({ method: 'GET', url: `/v1/merchants/${a.id}`, headers: bearer(keyA.key) })).statusCode, 200)
})

t.test('create-key input: exactly one of preset or scopes, known scopes only', async (t) => {
  const { app } = await build(t)
  const m = await createMerchant(app)
  const url = `/v1/merchants/${m.id}/api-keys`
  assertProblem(t, await app.inject({ method: 'POST', url, headers: operator, payload: {} }), 'VALIDATION_FAILED',
    { errors: [{ path: 'body.preset', message: 'give exactly one of preset or scopes' }] })
  assertProblem(t, await app.inject({ method: 'POST', url, headers: operator, payload: { preset: 'full', scopes: ['lists:read'] } }), 'VALIDATION_FAILED',
    { errors: [{ path: 'body.preset', message: 'give exactly one of preset or scopes' }] })
  assertProblem(t, await app.inject({ method: 'POST', url, headers: operator, payload: { preset: 'admin' } }), 'VALIDATION_FAILED',
    { errors: [{ path: 'body.preset', message: 'must be one of "full", "general", "shipping"' }] })
  assertProblem(t, await app.inject({ method: 'POST', url, headers: operator, payload: { scopes: ['lists:read', 'root'] } }), 'VALIDATION_FAILED')
  assertProblem(t, await app.inject({ method: 'POST', url, headers: operator, payload: { scopes: [] } }), 'VALIDATION_FAILED',
    { errors: [{ path: 'body.scopes', message: /fewer than 1/ }] })
  const list = await app.inject({ method: 'GET', url, headers: operator })
  t.same(list.json().items, [], 'no key was created by a refused request')
})

t.test('credentials: missing, malformed, unknown → 401; a key without the route\'s scope → 403', async (t) => {
  const { app } = await build(t)
  // A merchant route needing lists:write, registered the way real merchant routes are.
  await app.register(async (merchant) => {
    guard(merchant, 'merchant')
    merchant.post('/v1/test-scope', { config: { scope: 'lists:write' } }, async (request) => ({ ok: true, principal: request.principal?.kind }))
  })
  const m = await createMerchant(app)
  const shipping = await createKey(app, m.id, { preset: 'shipping' })
  const general = await createKey(app, m.id, { preset: 'general' })

  const cases: Array<[Record<string, string>, RegExp]> = [
    [{}, /Authorization: Bearer/],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, /must be "Bearer <API key>"/],
    [{ authorization: 'Bearer' }, /must be "Bearer <API key>"/],
    [{ authorization: 'Bearer shinsa_notarealkeynotarealkeynotarealkeynotareal' }, /not valid/],
    [{ authorization: `Bearer ${operator.authorization.slice(7)}x` }, /not valid/],
  ]
  for (const [headers, detail] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/test-scope', headers })
    assertProblem(t, res, 'UNAUTHORIZED', { detail, instance: '/v1/test-scope' })
    assertProblem(t, await app.inject({ method: 'GET', url: '/v1/merchants', headers }), 'UNAUTHORIZED')
  }

  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/test-scope', headers: bearer(shipping.key) }), 'FORBIDDEN',
    { detail: 'This API key lacks the scope lists:write' })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/test-scope', headers: operator }), 'FORBIDDEN',
    { detail: 'This operation needs a merchant API key' })
  const ok = await app.inject({ method: 'POST', url: '/v1/test-scope', headers: bearer(general.key) })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { ok: true, principal: 'merchant' })
  const lower = await app.inject({ method: 'POST', url: '/v1/test-scope', headers: { authorization: `bearer ${general.key}` } })
  t.equal(lower.statusCode, 200, 'the scheme is case-insensitive (RFC 9110)')
})

t.test('a merchant route that declares no scope fails start-up (fail closed)', async (t) => {
  const { app } = await build(t)
  await t.rejects(async () => {
    await app.register(async (merchant) => {
      guard(merchant, 'merchant')
      merchant.get('/v1/forgot-scope', async () => ({}))
    })
  }, /declares no scope/)
})
