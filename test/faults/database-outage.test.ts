// PostgreSQL going away under load, through a TCP proxy this test controls: requests answer 503
// DATABASE_UNAVAILABLE within the configured timeout (never hang, never another 5xx), /readyz
// turns red, and the service recovers by itself once the database is back. PostgreSQL only:
// the embedded database cannot be cut off.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { assertProblem, bearer, createKey, createMerchant, freshDatabase, testConfig, usingPostgres } from '../helper.js'
import { order } from '../routes/v1/order-fixture.js'
import { proxyTo } from './proxy.js'

t.test('a database outage answers 503 fast, turns readiness red, and heals by itself', { skip: usingPostgres ? false : 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const db = await freshDatabase()
  const target = new URL(db.url!)
  const proxy = await proxyTo(target)
  const proxied = new URL(db.url!)
  proxied.host = `127.0.0.1:${proxy.port}`
  const timeoutMs = 1000
  const app: FastifyInstance = await buildApp(testConfig({ DATABASE_URL: proxied.toString(), SHINSA_DB_TIMEOUT_MS: String(timeoutMs), SHINSA_AUTH_CACHE_MS: '60000' }, db),
    { logStream: { write: () => {} } })
  t.teardown(async () => { await app.close(); await proxy.close(); await db.drop() })

  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  let n = 0
  const score = () => app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: `OUT-${++n}` }) })
  t.equal((await score()).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)

  for (const mode of ['reset', 'hold'] as const) {
    proxy.set(mode)
    const started = Date.now()
    const during = await Promise.all(Array.from({ length: 30 }, score))
    const took = Date.now() - started
    t.same([...new Set(during.map((r) => r.statusCode))], [503], `${mode}: every request answers 503`)
    assertProblem(t, during[0]!, 'DATABASE_UNAVAILABLE', { detail: /cannot be reached/ })
    t.ok(took < timeoutMs * 3 + 1500, `${mode}: within the timeout, not hanging (${took} ms for 30 requests)`)
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(ready.statusCode, 503, `${mode}: readiness is red`)
    t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, `${mode}: the process itself is alive`)

    proxy.set('pass')
    const back = Date.now()
    let recovered = false
    while (!recovered && Date.now() - back < 15_000) {
      recovered = (await score()).statusCode === 200
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    t.ok(recovered, `${mode}: recovered by itself in ${Date.now() - back} ms`)
    t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, `${mode}: readiness is green again`)
  }
})
