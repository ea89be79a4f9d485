// The scan build() runs before dropping each test database: it finds what was planted, names
// where without quoting it, and leaves the merchant's own numeric identifiers alone.
import t from 'tap'
import { sql } from 'kysely'
import { ADMIN_TOKEN, bearer, build, createKey, createMerchant } from '../helper.js'
import { order } from '../routes/v1/order-fixture.js'
import { scanLogs, scanTables } from './secrets-scan.js'

t.test('tables: card numbers, API keys and the admin token are found by table and column', async (t) => {
  const { app } = await build(t)
  const m = await createMerchant(app)
  const { key } = await createKey(app, m.id)
  // A numeric order id is the merchant's own identifier: kept in orders, answers and events alone.
  const scored = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: '4111111111111111' }) })
  t.equal(scored.statusCode, 200, scored.body)
  t.same(await scanTables(app.db, ADMIN_TOKEN), [], 'nothing to find in a clean database')

  const planted = [['注文 4111 1111 1111 1111 の件'], [`key ${key}`], [`token ${ADMIN_TOKEN}`]]
  for (const [name] of planted) await sql`insert into merchants (name) values (${name})`.execute(app.db)
  const found = await scanTables(app.db, ADMIN_TOKEN)
  t.same(found.sort(), [
    'table merchants.name: a card number (1 row)',
    'table merchants.name: an API key (1 row)',
    'table merchants.name: the admin token (1 row)',
  ])
  t.notMatch(found.join(), /4111|shinsa_/, 'findings never quote the value')
  // Clean up, or build()'s own scan fails this test.
  await sql`delete from merchants where id <> ${m.id}`.execute(app.db)
})

t.test('logs: credentials, card numbers and personal data, by line and field', async (t) => {
  const lines = [
    JSON.stringify({ level: 30, msg: 'request', url: '/v1/orders/score', time: 1760000000000, reqId: '4fd1e0a2-0123-4567-8901-234567890123' }),
    JSON.stringify({ level: 30, msg: 'request', url: '/v1/blocklist?value=4111-1111-1111-1111' }),
    JSON.stringify({ level: 50, msg: 'boom', err: { message: `Bearer ${ADMIN_TOKEN}` } }),
    JSON.stringify({ level: 30, msg: 'sent', body: { email: 'taro@example.jp', phone: '090-1234-5678', name: '山田 太郎' } }),
    JSON.stringify({ level: 30, msg: 'key', value: `shinsa_${'A'.repeat(43)}`, secret: `whsec_${'b'.repeat(43)}` }),
    'not json +81 90-5555-6666',
    JSON.stringify({ level: 40, msg: 'gone', err: 'database "shinsa_test_1763000000000_12345_c_0123456789ab" does not exist' }),
  ]
  t.same(scanLogs(lines, ADMIN_TOKEN), [
    'log line 2 ("request") .url: a card number',
    'log line 3 ("boom") .err.message: the admin token',
    'log line 4 ("sent") .body.email: an e-mail address',
    'log line 4 ("sent") .body.phone: a phone number',
    'log line 4 ("sent") .body.name: a name',
    'log line 5 ("key") .value: an API key',
    'log line 5 ("key") .secret: a webhook secret',
    'log line 6 ("(not JSON)") (line): a phone number',
  ], 'a test database name is not a key')
})
