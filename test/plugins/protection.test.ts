// Load shedding (event-loop delay, database queue), the rate limits (per key, per address for
// failed authentication) with the key cache behind them, security headers
// and CORS: each answers with the problem a client can act on (503/429 with Retry-After).
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { sql, type KyselyPlugin } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../helper.js'
import { hashKey } from '../../src/domain/api-key.js'
import { KeyCache, MAX_ENTRIES } from '../../src/plugins/key-cache.js'

t.test('the rate limit counts per API key and answers 429 RATE_LIMITED with Retry-After', async (t) => {
  const { app } = await build(t, { env: { SHINSA_RATE_LIMIT_PER_MINUTE: '3' } })
  const m = await createMerchant(app)
  const [a, b] = [(await createKey(app, m.id)).key, (await createKey(app, m.id)).key]
  const get = (key: string) => app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(key) })
  for (let i = 0; i < 3; i++) t.equal((await get(a)).statusCode, 200)
  const limited = await get(a)
  assertProblem(t, limited, 'RATE_LIMITED', { detail: /More than 3 requests a minute/ })
  t.match(limited.headers['retry-after'], /^\d+$/)
  t.equal((await get(b)).statusCode, 200, 'another key has its own count')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'health is never limited')
})

t.test('a full database queue sheds requests with 503 OVERLOADED; health still answers', async (t) => {
  const { app, logs } = await build(t, { env: { SHINSA_MAX_DB_WAITING: '50' } })
  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  const get = () => app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(key) })
  t.equal((await get()).statusCode, 200)
  // The pool's queue is a number the database plugin reads from pg.Pool; stand in for a backlog.
  const real = app.dbWaiting
  Object.assign(app, { dbWaiting: () => 51 })
  const shed = await get()
  assertProblem(t, shed, 'OVERLOADED', { detail: /connection queue/ })
  t.equal(shed.headers['retry-after'], '2')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'liveness is never shed')
  for (let i = 0; i < 19; i++) await get()
  // Counted, not logged one by one: one summary line a second (two if the 20 straddle a tick).
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const summaries = logs().filter((l) => l.msg === 'requests answered 503 in the last second') as any[]
  t.ok(summaries.length >= 1 && summaries.length <= 2, `a summary a second (${summaries.length})`)
  const counted = summaries.reduce((n, l) => n + Number(l.unavailable?.OVERLOADED?.['The database is behind (connection queue full)'] ?? 0), 0)
  t.equal(counted, 20, 'the summaries count the 20 shed requests')
  t.same(logs().filter((l) => l.msg === 'request failed'), [], 'no line per shed request')
  Object.assign(app, { dbWaiting: real })
  t.equal((await get()).statusCode, 200, 'served again once the queue drains')
})

t.test('a blocked event loop sheds requests with 503 OVERLOADED; health still answers', async (t) => {
  const { app } = await build(t, { env: { SHINSA_MAX_EVENT_LOOP_DELAY_MS: '50' } })
  // Let the loop settle after the app's start, which blocks it.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const m = await createMerchant(app)
  // Block the loop long enough for under-pressure's sampler to see it.
  const until = Date.now() + 400
  while (Date.now() < until) { /* busy */ }
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const busy = (until2: number) => { while (Date.now() < until2) { /* busy */ } }
  let shed = null
  for (let i = 0; i < 10 && shed === null; i++) {
    busy(Date.now() + 300)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const res = await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: operator })
    if (res.statusCode === 503) shed = res
  }
  t.ok(shed !== null, 'shed while the loop was blocked')
  if (shed !== null) assertProblem(t, shed, 'OVERLOADED', { detail: /event-loop delay/ })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
})

t.test('security headers; CORS off unless origins are configured', async (t) => {
  const { app } = await build(t)
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.match(docs.headers['content-security-policy'], /default-src 'self'/)
  t.equal(docs.headers['x-content-type-options'], 'nosniff')
  const pre = await app.inject({ method: 'OPTIONS', url: '/v1/orders/score', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  t.equal(pre.headers['access-control-allow-origin'], undefined, 'no CORS by default')

  const withCors = await build(t, { env: { SHINSA_CORS_ORIGINS: 'https://console.example.jp' } })
  const ok = await withCors.app.inject({ method: 'OPTIONS', url: '/v1/orders/score', headers: { origin: 'https://console.example.jp', 'access-control-request-method': 'POST' } })
  t.equal(ok.headers['access-control-allow-origin'], 'https://console.example.jp')
  const no = await withCors.app.inject({ method: 'OPTIONS', url: '/v1/orders/score', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  t.not(no.headers['access-control-allow-origin'], 'https://evil.example')
})

// Every query the app sends from now on is counted (the database plugin's Kysely, wrapped).
function countQueries (app: FastifyInstance): { readonly n: number } {
  const counter = { n: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => { counter.n++; return args.node },
    transformResult: async (args) => args.result,
  }
  Object.assign(app, { db: app.db.withPlugin(plugin) })
  return counter
}

const madeUp = () => `shinsa_${randomBytes(32).toString('base64url')}`
const from = (address: string, headers: Record<string, string> = {}) => ({ remoteAddress: address, headers })

t.test("a key's count cannot be dodged by spelling its Authorization header differently", async (t) => {
  const { app } = await build(t, { env: { SHINSA_RATE_LIMIT_PER_MINUTE: '3' } })
  const m = await createMerchant(app)
  const { key } = await createKey(app, m.id)
  const spellings = [`Bearer ${key}`, `bearer ${key}`, `Bearer  ${key}`, `Bearer ${key} `]
  const answers = []
  for (const authorization of spellings) answers.push(await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: { authorization } }))
  t.same(answers.slice(0, 3).map((r) => r.statusCode), [200, 200, 200])
  assertProblem(t, answers[3]!, 'RATE_LIMITED', { detail: /More than 3 requests a minute with this credential/ })
})

t.test('failed authentication is limited per client address before any lookup; a real caller elsewhere is unaffected', async (t) => {
  const { app } = await build(t, { env: { SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE: '5' } })
  const m = await createMerchant(app)
  const { key } = await createKey(app, m.id)
  const url = `/v1/merchants/${m.id}`
  const queries = countQueries(app)
  const flood = []
  for (let i = 0; i < 20; i++) flood.push(await app.inject({ method: 'GET', url, ...from('192.0.2.7', bearer(madeUp())) }))
  t.same(flood.slice(0, 5).map((r) => r.statusCode), [401, 401, 401, 401, 401], 'the documented 5 a minute are answered')
  t.equal(queries.n, 5, 'one lookup for each of the 5, none once over the limit')
  const limited = flood[5]!
  assertProblem(t, limited, 'RATE_LIMITED', { detail: /More than 5 unauthenticated or failed requests a minute from this address; retry in \d+ s/ })
  t.match(limited.headers['retry-after'], /^\d+$/)
  t.equal(limited.headers['x-ratelimit-limit'], '5')
  t.equal(limited.headers['x-ratelimit-remaining'], '0')
  t.ok(flood.slice(5).every((r) => r.statusCode === 429), 'all the rest 429')
  for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }] as Array<Record<string, string>>) {
    assertProblem(t, await app.inject({ method: 'GET', url, ...from('192.0.2.7', headers) }), 'RATE_LIMITED')
  }
  // X-Forwarded-For is not believed by default: a flooder cannot pick its own address.
  assertProblem(t, await app.inject({ method: 'GET', url, ...from('192.0.2.7', { ...bearer(madeUp()), 'x-forwarded-for': '203.0.113.1' }) }), 'RATE_LIMITED')
  t.equal(queries.n, 5, 'still no lookup')

  const real = await app.inject({ method: 'GET', url, ...from('198.51.100.9', bearer(key)) })
  t.equal(real.statusCode, 200, 'a real key from another address')
  t.equal((await app.inject({ method: 'GET', url, ...from('198.51.100.10', bearer(madeUp())) })).statusCode, 401, 'another address has its own count')
  t.equal((await app.inject({ method: 'GET', url, ...from('192.0.2.7', bearer(key)) })).statusCode, 200, 'a key this instance knows valid passes even from the flooded address')
})

t.test('behind a configured proxy, X-Forwarded-For names the client', async (t) => {
  const { app } = await build(t, { env: { SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE: '2', SHINSA_TRUST_PROXY: '10.0.0.0/8,loopback' } })
  const m = await createMerchant(app)
  const get = (client: string) => app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, ...from('10.1.2.3', { ...bearer(madeUp()), 'x-forwarded-for': client }) })
  t.same([(await get('203.0.113.1')).statusCode, (await get('203.0.113.1')).statusCode, (await get('203.0.113.1')).statusCode], [401, 401, 429])
  t.equal((await get('203.0.113.2')).statusCode, 401, 'another client behind the same proxy has its own count')
})

t.test('an unknown key is looked up once within SHINSA_AUTH_MISS_CACHE_MS, then again', async (t) => {
  const { app } = await build(t, { env: { SHINSA_AUTH_MISS_CACHE_MS: '400' } })
  const m = await createMerchant(app)
  const token = madeUp()
  const queries = countQueries(app)
  const get = () => app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(token) })
  for (let i = 0; i < 10; i++) assertProblem(t, await get(), 'UNAUTHORIZED', { detail: 'The API key is not valid' })
  t.equal(queries.n, 1, 'ten tries, one lookup')
  // Made a key on another instance (as if): this one says no until its miss expires.
  await sql`insert into api_keys (merchant_id, prefix, key_hash, scopes) values (${m.id}, ${token.slice(0, 15)}, ${hashKey(token)}, ${['merchants:read']})`.execute(app.db)
  t.equal((await get()).statusCode, 401, 'within the window')
  await new Promise((resolve) => setTimeout(resolve, 450))
  t.equal((await get()).statusCode, 200, 'after it, the key works')
})

t.test("a flood of made-up keys from several addresses: each its limit, the real key's count kept, only looked-up misses remembered", async (t) => {
  const { app } = await build(t, { env: { SHINSA_RATE_LIMIT_PER_MINUTE: '3', SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE: '10' } })
  const m = await createMerchant(app)
  const { key } = await createKey(app, m.id)
  const url = `/v1/merchants/${m.id}`
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ method: 'GET', url, headers: bearer(key) })).statusCode, 200)
  // More distinct tokens than the rate-limit store's default 5,000 counters.
  let limited = 0
  for (let i = 0; i < 5_100; i++) {
    const res = await app.inject({ method: 'GET', url, ...from(`198.51.100.${i % 4}`, bearer(madeUp())) })
    if (res.statusCode === 429) limited++
  }
  t.equal(limited, 5_100 - 40, 'each of the 4 addresses had its 10')
  assertProblem(t, await app.inject({ method: 'GET', url, headers: bearer(key) }), 'RATE_LIMITED', { detail: /More than 3 requests a minute/ })
  t.ok(app.keyCache.sizes.misses <= 40, `only looked-up keys are remembered as unknown (${app.keyCache.sizes.misses})`)
})

t.test('the key cache stays bounded however many made-up keys it is told about', async (t) => {
  const cache = new KeyCache(5000, 30_000)
  for (let i = 0; i < MAX_ENTRIES * 2; i++) cache.miss(hashKey(madeUp()))
  t.equal(cache.sizes.misses, MAX_ENTRIES)
  const last = hashKey('shinsa_last')
  cache.miss(last)
  t.ok(cache.missed(last), 'the newest is kept')
  cache.created(last)
  t.notOk(cache.missed(last), 'a key created with a missed hash is no longer a miss')
})
