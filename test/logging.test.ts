// One JSON line per request with id, merchant, route, status and latency; never a credential.
import t from 'tap'
import { pino } from 'pino'
import { sql } from 'kysely'
import { loggerOptions } from '../src/logging.js'
import { ADMIN_TOKEN, bearer, build, createKey, createMerchant, operator } from './helper.js'

t.test('one line per request; credentials never logged', async (t) => {
  const { app, logs, rawLogs } = await build(t)
  const m = await createMerchant(app)
  const key = await createKey(app, m.id, { preset: 'shipping' })
  await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: { ...bearer(key.key), 'x-request-id': 'req-merchant-read' } })
  await app.inject({ method: 'GET', url: '/v1/merchants', headers: { authorization: 'Bearer wrong-token-value-123456' } })

  const line = logs().find((l) => l.requestId === 'req-merchant-read')
  t.match(line, { level: 30, msg: 'request', method: 'GET', route: '/v1/merchants/:id', status: 200, merchantId: m.id, latencyMs: Number })
  t.equal(logs().filter((l) => l.requestId === 'req-merchant-read').length, 1, 'exactly one line for the request')
  const all = rawLogs()
  t.notMatch(all, ADMIN_TOKEN, 'no admin token')
  t.notMatch(all, key.key, 'no API key')
  t.notMatch(all, 'wrong-token-value', 'no presented credential')
  t.notMatch(all, /authorization/i, 'no authorization header')
  t.notMatch(all, operator.authorization)
})

t.test('database errors are logged without the values PostgreSQL quotes', async (t) => {
  const { app, rawLogs } = await build(t)
  app.get('/bad-sql', async () => {
    await sql`select ${'taro@example.jp'}::timestamptz`.execute(app.db)
  })
  const res = await app.inject({ method: 'GET', url: '/bad-sql', headers: { 'x-request-id': 'sql-fail' } })
  t.equal(res.statusCode, 500)
  t.notMatch(rawLogs(), 'taro@example.jp')
  t.match(rawLogs(), /PostgreSQL error 22007/)
})

t.test('redaction paths cover personal data wherever an object is logged', async (t) => {
  const lines: string[] = []
  const log = pino(loggerOptions('info'), { write: (l: string) => { lines.push(l) } })
  log.info({
    buyer: { name: '山田太郎', email: 'taro@example.jp', phone: '090-1234-5678', address: { line: '東京都渋谷区道玄坂1-2-3' } },
    order: { buyer: { email: 'hanako@example.jp' }, shipTo: { address: { town: '恵比酒' }, name: '佐藤花子' } },
    headers: { authorization: 'Bearer shinsa_xyz' },
    err: { detail: 'Key (email)=(taro@example.jp) already exists' },
  }, 'something happened')
  const out = lines.join('')
  for (const secret of ['山田太郎', 'taro@example.jp', '090-1234-5678', '道玄坂', 'shinsa_xyz', 'hanako@example.jp', '恵比酒', '佐藤花子']) {
    t.notMatch(out, secret, `${secret} redacted`)
  }
  t.match(out, /\[redacted\]/)
})

t.test("an error's class and source line survive redaction; a person's name in an error does not", async (t) => {
  const lines: string[] = []
  const log = pino(loggerOptions('info'), { write: (l: string) => { lines.push(l) } })
  const err = Object.assign(new Error('terminating connection'), { name: 'DatabaseError', code: '57P01', severity: 'FATAL', line: '3237', client: { connectionParameters: { database: 'shinsa' } } })
  log.warn({ err }, 'database connection lost')
  log.warn({ err: { message: 'x', name: '山田太郎', line: '東京都渋谷区道玄坂1-2-3' } }, 'odd error')
  const [lost, odd] = lines.map((l) => JSON.parse(l))
  t.equal(lost.err.name, 'DatabaseError')
  t.equal(lost.err.line, '3237')
  t.equal(lost.err.client, undefined, "node-postgres' client state is not logged")
  t.notMatch(lines[1], /山田太郎|道玄坂/)
  t.equal(odd.err.name, '[redacted]')
})

t.test('a PostgreSQL error as the cause of another is withheld too', async (t) => {
  const lines: string[] = []
  const log = pino(loggerOptions('info'), { write: (l: string) => { lines.push(l) } })
  const quoted = Object.assign(new Error('duplicate key value violates unique constraint: Key (email)=(taro@example.jp) already exists'), { code: '23505', severity: 'ERROR' })
  log.error({ err: new Error('saving the order failed', { cause: quoted }) }, 'wrapped')
  t.notMatch(lines[0], 'taro@example.jp')
  const { err } = JSON.parse(lines[0]!)
  t.equal(err.message, 'saving the order failed: PostgreSQL error 23505 (message withheld: it may quote request data)')
  t.match(err.stack, /caused by: Error: PostgreSQL error 23505/)
})
