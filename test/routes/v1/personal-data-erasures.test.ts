// POST /v1/personal-data/erasures: the same person written differently is found, every stored
// identifier of theirs for the calling merchant goes, another merchant's identical person stays,
// blocklist entries are reported and kept, and the record holds no personal data.
import t from 'tap'
import { sql } from 'kysely'
import { assertProblem, bearer, build, createKey, createMerchant } from '../../helper.js'
import { HOME, order } from './order-fixture.js'

const URL = '/v1/personal-data/erasures'
const TARO = { name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: 'Taro.Yamada+shop@gmail.com', phone: '090-1234-5678', address: HOME, ip: '203.0.113.7' }
const HANAKO = { name: '佐藤 花子', nameKana: 'サトウ ハナコ', email: 'hanako@example.jp', phone: '080-9876-5432', address: { ...HOME, block: '2-2-2' }, ip: '203.0.113.8' }

async function seed (t: Parameters<typeof build>[0]) {
  const built = await build(t)
  const { app } = built
  const merchants = []
  for (const name of ['A商店', 'B商店']) {
    const m = await createMerchant(app, name)
    const key = (await createKey(app, m.id)).key
    for (const [orderId, buyer] of [['T-1', TARO], ['T-2', TARO], ['H-1', HANAKO]] as const) {
      const res = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId, buyer }) })
      t.equal(res.statusCode, 200, res.body)
    }
    const fb = await app.inject({ method: 'POST', url: '/v1/orders/T-1/feedback', headers: bearer(key), payload: { type: 'chargeback' } })
    t.equal(fb.statusCode, 201, fb.body)
    const bl = await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'email', value: 'taroyamada@gmail.com' } })
    t.equal(bl.statusCode, 201, bl.body)
    const batch = await app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: bearer(key), payload: { rows: [
      { orderId: 'T-1', email: 'taro.yamada@gmail.com', ...HOME },
      { orderId: 'H-1', email: 'hanako@example.jp', ...HANAKO.address },
    ] } })
    t.equal(batch.statusCode, 202, batch.body)
    await app.db.insertInto('webhook_events').values({ merchant_id: m.id, type: 'order.scored', data: JSON.stringify({ orderId: 'T-1' }) }).execute()
    merchants.push({ ...m, key, blocklistId: bl.json().id as string })
  }
  return { ...built, a: merchants[0]!, b: merchants[1]! }
}

const count = async (app: Awaited<ReturnType<typeof build>>['app'], table: string, merchantId: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where merchant_id = ${merchantId}`.execute(app.db)).rows[0]!.n)

t.test('an e-mail erasure: this merchant\'s person only, written differently; a second one touches 0', async (t) => {
  const { app, a, b } = await seed(t)
  const before = { fraud: await count(app, 'fraud_history', b.id), rows: await count(app, 'address_match_batch_rows', b.id) }
  const res = await app.inject({ method: 'POST', url: URL, headers: bearer(a.key), payload: { email: 'taroyamada@gmail.com' } })
  t.equal(res.statusCode, 201, res.body)
  const body = res.json()
  t.match(body, { id: /^[0-9a-f-]{36}$/, kind: 'email', blocklistEntries: [{ id: a.blocklistId, type: 'email' }] })
  t.same(body.touched, { orders: 2, orderFeedback: 1, fraudHistory: before.fraud, shipmentChecks: 0, addressMatches: 0, webhookEvents: 1, webhookDeliveries: 0, webhookDigestItems: 0, addressMatchBatchRows: 1 })
  t.ok(before.fraud > 0, 'the chargeback had filed Taro in the fraud history')

  t.same((await app.db.selectFrom('orders').select('order_id').where('merchant_id', '=', a.id).execute()).map((r) => r.order_id), ['H-1'], 'Hanako stays')
  t.equal(await count(app, 'fraud_history', a.id), 0)
  t.equal(await count(app, 'blocklist_entries', a.id), 1, 'the blocklist entry is kept')
  const rows = await app.db.selectFrom('address_match_batch_rows').select(['order_id', 'email']).where('merchant_id', '=', a.id).orderBy('line').execute()
  t.same(rows, [{ order_id: 'T-1', email: null }, { order_id: 'H-1', email: 'hanako@example.jp' }])

  t.equal(await count(app, 'orders', b.id), 3, 'B\'s identical person is untouched')
  t.equal(await count(app, 'fraud_history', b.id), before.fraud)
  t.equal(await count(app, 'webhook_events', b.id), 1)
  t.same((await app.db.selectFrom('address_match_batch_rows').select('email').where('merchant_id', '=', b.id).orderBy('line').execute()).map((r) => r.email),
    ['taro.yamada@gmail.com', 'hanako@example.jp'])

  const record = await sql<{ r: string }>`select row_to_json(e)::text as r from personal_data_erasures e where id = ${body.id}`.execute(app.db)
  t.notMatch(record.rows[0]!.r, /taro|yamada/i, 'the record keeps no identifier')

  const again = await app.inject({ method: 'POST', url: URL, headers: bearer(a.key), payload: { email: 'TARO.YAMADA@gmail.com' } })
  t.equal(again.statusCode, 201)
  t.ok(Object.values(again.json().touched).every((n) => n === 0), 'a second erasure touches 0')
  t.not(again.json().id, body.id)
})

t.test('a phone erasure and a name+address erasure find the person in other writings', async (t) => {
  const { app, a, b } = await seed(t)
  const phone = await app.inject({ method: 'POST', url: URL, headers: bearer(a.key), payload: { phone: '+81 90-1234-5678' } })
  t.equal(phone.statusCode, 201, phone.body)
  t.equal(phone.json().touched.orders, 2)
  t.equal(phone.json().touched.addressMatchBatchRows, 0, 'batch rows carry no phone')

  const named = await app.inject({ method: 'POST', url: URL, headers: bearer(b.key), payload: {
    name: '山田太郎', address: { line: '東京都千代田区丸の内一丁目1番1号 1001号室' },
  } })
  t.equal(named.statusCode, 201, named.body)
  t.match(named.json(), { kind: 'name_address', touched: { orders: 2, addressMatchBatchRows: 1 } })
  const rows = await app.db.selectFrom('address_match_batch_rows').select(['email', 'block']).where('merchant_id', '=', b.id).orderBy('line').execute()
  t.same(rows, [{ email: 'taro.yamada@gmail.com', block: null }, { email: 'hanako@example.jp', block: '2-2-2' }], 'Taro\'s address blanked, Hanako\'s kept')
  t.equal(await count(app, 'orders', a.id), 1, 'A: only Hanako left, from its own erasure')
})

t.test('bad requests name the field', async (t) => {
  const { app, a } = await seed(t)
  const call = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: URL, headers: bearer(a.key), payload })
  assertProblem(t, await call({}), 'VALIDATION_FAILED', { errors: [{ path: 'body', message: /must have email/ }] })
  assertProblem(t, await call({ email: 'taro@example.jp', phone: '090-1234-5678' }), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.email', message: /phone/ }, { path: 'body.phone', message: /email/ }],
  })
  assertProblem(t, await call({ name: '山田 太郎' }), 'VALIDATION_FAILED', { errors: [{ path: 'body.address', message: 'is required with name' }] })
  assertProblem(t, await call({ address: HOME }), 'VALIDATION_FAILED', { errors: [{ path: 'body.name', message: 'is required with address' }] })
  assertProblem(t, await call({ email: 'not-an-address' }), 'VALIDATION_FAILED', { errors: [{ path: 'body.email', message: 'is not an e-mail address' }] })
  assertProblem(t, await call({ phone: '12' }), 'VALIDATION_FAILED', { errors: [{ path: 'body.phone', message: /phone/ }] })
  assertProblem(t, await call({ name: '山田 太郎', address: { line: 'New York' } }), 'ADDRESS_NOT_DOMESTIC')
  t.equal(await count(app, 'orders', a.id), 3, 'nothing erased')
  t.equal(await count(app, 'personal_data_erasures', a.id), 0, 'nothing recorded')
})
