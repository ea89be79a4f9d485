// Load shedding (event-loop delay, database queue), the per-key rate limit, security headers
// and CORS: each answers with the problem a client can act on (503/429 with Retry-After).
import t from 'tap'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../helper.js'

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
