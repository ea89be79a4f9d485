// The retention purge: a merchant's rows older than its retentionDays go (orders with their
// feedback and fraud history, checks, audit rows, events, finished batches), younger rows stay,
// and another merchant with a longer retention keeps rows of the same age.
import t from 'tap'
import { sql } from 'kysely'
import { bearer, build, createKey, createMerchant, operator } from '../helper.js'
import { order } from '../routes/v1/order-fixture.js'
import { startRetentionPurge } from '../../src/jobs/retention-purge.js'

const DAY = 86_400_000

t.test('rows older than each merchant\'s retention go, in bounded batches; younger and longer-kept rows stay', async (t) => {
  const { app, logs } = await build(t)
  const [a, b] = [await createMerchant(app, '短期商店'), await createMerchant(app, '長期商店')]
  await app.inject({ method: 'PATCH', url: `/v1/merchants/${a.id}`, headers: operator, payload: { settings: { retentionDays: 200 } } })
  await app.inject({ method: 'PATCH', url: `/v1/merchants/${b.id}`, headers: operator, payload: { settings: { retentionDays: 400 } } })
  for (const m of [a, b]) {
    const key = (await createKey(app, m.id)).key
    for (const id of ['OLD-1', 'OLD-2', 'OLD-3', 'NEW-1']) {
      const res = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: id }) })
      t.equal(res.statusCode, 200, res.body)
    }
    const fb = await app.inject({ method: 'POST', url: '/v1/orders/OLD-1/feedback', headers: bearer(key), payload: { type: 'fraud_confirmed' } })
    t.equal(fb.statusCode, 201, fb.body)
    const batch = await app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: bearer(key), payload: { rows: [{ orderId: 'OLD-1', email: 'taro@example.co.jp', prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1' }] } })
    t.equal(batch.statusCode, 202, batch.body)
    await app.db.insertInto('webhook_events').values({ merchant_id: m.id, type: 'order.scored', data: JSON.stringify({ orderId: 'OLD-1' }) }).execute()
  }
  // 300 days ago: past A's 200 days, within B's 400.
  const old = new Date(Date.now() - 300 * DAY)
  await app.db.updateTable('orders').set({ created_at: old } as never).where('order_id', 'like', 'OLD-%').execute()
  await app.db.updateTable('webhook_events').set({ created_at: old } as never).execute()
  await app.db.updateTable('address_match_batches').set({ created_at: old, status: 'done' } as never).execute()

  const purge = startRetentionPurge(app.db, app.log, { loop: false, batchSize: 2 })
  t.teardown(() => purge.stop())
  const counts = await purge.runOnce()
  t.same(counts, { orders: 3, webhook_events: 1, address_match_batch_rows: 1, address_match_batches: 1 }, 'A\'s old rows, two at a time')

  const left = async (table: 'orders' | 'fraud_history' | 'order_feedback' | 'webhook_events' | 'address_match_batch_rows', merchantId: string) =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where merchant_id = ${merchantId}`.execute(app.db)).rows[0]!.n)
  t.same(await app.db.selectFrom('orders').select('order_id').where('merchant_id', '=', a.id).execute(), [{ order_id: 'NEW-1' }], 'A keeps its young order')
  t.equal(await left('fraud_history', a.id), 0, 'A\'s fraud history went with its order')
  t.equal(await left('order_feedback', a.id), 0)
  t.equal(await left('webhook_events', a.id), 0)
  t.equal(await left('address_match_batch_rows', a.id), 0)
  t.equal(await left('orders', b.id), 4, 'B keeps every order (400 days)')
  t.ok(await left('fraud_history', b.id) > 0, 'and its fraud history')
  t.equal(await left('webhook_events', b.id), 1)
  t.equal(await left('address_match_batch_rows', b.id), 1)

  t.same(await purge.runOnce(), {}, 'a second pass finds nothing')
  const line = logs().find((l) => l.msg === 'retention purge done')
  t.same(line?.deleted, counts, 'the log line carries counts only')
})

t.test('one purge at a time: a pass while another holds the lock skips', async (t) => {
  const { app } = await build(t)
  await createMerchant(app)
  const purge = startRetentionPurge(app.db, app.log, { loop: false })
  t.teardown(() => purge.stop())
  // Another instance mid-batch: it holds the transaction lock.
  await app.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('shinsa.retention-purge'))`.execute(trx)
    if (app.config.databaseUrl !== undefined) t.equal(await purge.runOnce(), null, 'skipped')
  })
  t.same(await purge.runOnce(), {}, 'runs once the lock is free')
})
