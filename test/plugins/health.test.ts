import t from 'tap'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { buildApp } from '../../src/app.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { assertProblem, build, testConfig, usingPostgres } from '../helper.js'

t.test('healthz and readyz on a migrated database', async (t) => {
  const { app } = await build(t)
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready', database: usingPostgres ? 'postgres' : 'pglite', migrations: app.migrations.length })
})

t.test('readyz is 503 NOT_READY until migrations run, then ready', async (t) => {
  const { app } = await build(t, { migrated: false })
  assertProblem(t, await app.inject({ method: 'GET', url: '/readyz' }), 'NOT_READY', { detail: /Migrations not applied: 0001_merchants_and_api_keys/ })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'still alive')
  await migrateToLatest(app.db)
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
})

t.test('embedded database: a query on app.db inside a transaction fails after the timeout instead of hanging', { skip: usingPostgres && 'PGlite only' }, async (t) => {
  const { app } = await build(t, { env: { SHINSA_DB_TIMEOUT_MS: '300' } })
  await t.rejects(app.db.transaction().execute(async () => {
    await app.db.selectFrom('merchants').select('id').execute()
  }), /timeout/)
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'and the database still serves')
})

t.test('readyz is 503 DATABASE_UNAVAILABLE when the database is gone', async (t) => {
  const { app, db } = await build(t)
  if (db.pglite !== undefined) await db.pglite.close()
  else await db.drop()
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  assertProblem(t, res, 'DATABASE_UNAVAILABLE')
  t.equal(res.headers['retry-after'], '5', 'says when to look again')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'liveness does not depend on the database')
})

t.test('readyz answers within the timeout when the database accepts but never answers', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => { sockets.add(socket) })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    silent.close()
  })
  const port = (silent.address() as AddressInfo).port
  const config = testConfig({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/none`, SHINSA_DB_TIMEOUT_MS: '300' })
  const app = await buildApp(config, { logStream: { write: () => {} } })
  t.teardown(() => app.close())
  const started = Date.now()
  assertProblem(t, await app.inject({ method: 'GET', url: '/readyz' }), 'DATABASE_UNAVAILABLE')
  const took = Date.now() - started
  t.ok(took >= 250 && took < 3000, `bounded by SHINSA_DB_TIMEOUT_MS (took ${took} ms)`)
})

t.test('readyz answers at once when nothing listens at DATABASE_URL', async (t) => {
  // Port 1 on loopback: connection refused at once. A server that never answers is bounded by SHINSA_DB_TIMEOUT_MS.
  const config = testConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', SHINSA_DB_TIMEOUT_MS: '500' })
  const app = await buildApp(config, { logStream: { write: () => {} } })
  t.teardown(() => app.close())
  const started = Date.now()
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  assertProblem(t, res, 'DATABASE_UNAVAILABLE')
  t.ok(Date.now() - started < 5000, 'answered promptly')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
  const api = await app.inject({ method: 'GET', url: '/v1/merchants/00000000-0000-4000-8000-000000000000', headers: { authorization: 'Bearer shinsa_whatever' } })
  assertProblem(t, api, 'DATABASE_UNAVAILABLE', { detail: 'The database cannot be reached; retry shortly' })
})
