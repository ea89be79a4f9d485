// POST /v1/address-matches through the API: every row of seed 001's result table, the spellings
// a merchant may send, refusals, tenancy and scopes.
import t from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'

const STORE = [
  'issuer,reported_on,prefecture,city,town,block,room,building',
  'A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,ヒューマックス渋谷ビル', // with a room
  'B社,2026-02-01,東京都,渋谷区,道玄坂,1-2-3,202号室,', // the same address from another issuer
  'C社,2026-03-01,兵庫県,姫路市,飾磨区恵比酒,4丁目5番6号,,', // registered only up to 号
  'D社,2026-03-02,東京都,渋谷区,宇田川町,7-8-9,,',
  'E社,2026-03-03,東京都,渋谷区,神南,1-1-1-101,,', // the room written into the block
].join('\n') + '\n'

async function setUp (t: Parameters<typeof build>[0]) {
  const built = await build(t)
  const res = await built.app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  t.equal(res.json().inserted, 5)
  const m = await createMerchant(built.app)
  const key = await createKey(built.app, m.id, { preset: 'shipping' })
  return { ...built, merchant: m, key: key.key }
}

const match = (app: FastifyInstance, key: string, address: Record<string, string>, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/address-matches', headers: bearer(key), payload: { orderId: 'ORD-1001', email: 'buyer@example.jp', address, ...extra } })

const DOGENZAKA = { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3' }

t.test('seed 001: every row of the result table', async (t) => {
  const { app, key } = await setUp(t)
  const cases: Array<[string, Record<string, string>, Record<string, unknown>]> = [
    ['address and room hit → full (注1)', { ...DOGENZAKA, room: '202' },
      { result: 'full', count: 2, fields: { prefecture: 'hit', city: 'hit', town: 'hit', block: 'hit', room: 'hit', building: 'unspecified' } }],
    ['room differs → partial', { ...DOGENZAKA, room: '303' }, { result: 'partial', count: 2, fields: { block: 'hit', room: 'miss' } }],
    ['no room given, the record has one → partial (注3)', DOGENZAKA, { result: 'partial', count: 2, fields: { block: 'hit', room: 'unspecified' } }],
    ['record only up to 号 → full whatever the room (注2)', { prefecture: '兵庫県', city: '姫路市', town: '飾磨区恵比酒', block: '4-5-6', room: '999' },
      { result: 'full', count: 1, fields: { block: 'hit' } }],
    ['record only up to 号, no room given → full', { prefecture: '兵庫県', city: '姫路市', town: '飾磨区恵比酒', block: '4-5-6' }, { result: 'full', count: 1 }],
    ['block misses → none; the town is known', { ...DOGENZAKA, block: '9-9-9', room: '202' },
      { result: 'none', count: 0, records: [], fields: { prefecture: 'hit', city: 'hit', town: 'hit', block: 'miss', room: 'miss' } }],
    ['town misses → none; the city is known', { ...DOGENZAKA, town: '松濤', block: '1-1-1' },
      { result: 'none', count: 0, fields: { prefecture: 'hit', city: 'hit', town: 'miss', block: 'miss', room: 'unspecified' } }],
    ['nothing in the prefecture → none', { prefecture: '北海道', city: '札幌市中央区', town: '北一条西', block: '2-1' },
      { result: 'none', fields: { prefecture: 'miss', city: 'miss', town: 'miss', block: 'miss' } }],
  ]
  for (const [name, address, expected] of cases) {
    const res = await match(app, key, address)
    t.equal(res.statusCode, 200, `${name}: ${res.body}`)
    t.match(res.json(), expected, name)
  }
  const full = (await match(app, key, { ...DOGENZAKA, room: '202' })).json()
  t.same(full.records, [{ issuer: 'A社', reportedOn: '2026-01-05' }, { issuer: 'B社', reportedOn: '2026-02-01' }])
  t.match(full, { orderId: 'ORD-1001', id: /^[0-9a-f-]{36}$/, matchedAt: /Z$/, normalized: { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '202' } })
})

t.test('spellings a merchant may send all find the same address', async (t) => {
  const { app, key } = await setUp(t)
  const variants: Array<Record<string, string>> = [
    { ...DOGENZAKA, block: '1丁目2番地3号', room: '202号' },
    { ...DOGENZAKA, block: '一丁目二番三号', room: '202号室' },
    { ...DOGENZAKA, block: '１－２－３', room: '２０２' },
    { ...DOGENZAKA, block: '1ー2ー3', room: '202' },
    { ...DOGENZAKA, town: '道玄坂一丁目', block: '2-3', room: '202' },
    { ...DOGENZAKA, block: '1-2-3-202' },
    { line: '東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル202' },
    { ...DOGENZAKA, room: '202', building: '別の名前のビル' }, // the building never counts
  ]
  for (const address of variants) {
    const res = await match(app, key, address)
    t.match(res.json(), { result: 'full', count: 2 }, JSON.stringify(address))
  }
  for (const split of [{ city: '姫路市', town: '飾磨区恵比酒' }, { city: '姫路市飾磨区', town: '恵比酒' }]) {
    const res = await match(app, key, { prefecture: '兵庫県', ...split, block: '4-5-6' })
    t.match(res.json(), { result: 'full', count: 1 }, `split ${split.city}|${split.town}`)
  }
  for (const [address, expected] of [
    [{ ...DOGENZAKA, town: '神南', block: '1-1-1' }, { result: 'partial', fields: { room: 'unspecified' } }],
    [{ ...DOGENZAKA, town: '神南', block: '1-1-1', room: '101' }, { result: 'full', fields: { room: 'hit' } }],
    [{ ...DOGENZAKA, town: '神南', block: '1-1-1', room: '202' }, { result: 'partial', fields: { room: 'miss' } }],
    [{ ...DOGENZAKA, town: '神南', block: '1-1-1-101' }, { result: 'full' }],
  ] as const) {
    t.match((await match(app, key, address)).json(), expected, `room stored in the block: ${JSON.stringify(address)}`)
  }
  const inBlock = (await match(app, key, { ...DOGENZAKA, block: '1-2-3-202' })).json()
  t.match(inBlock.normalized, { block: '1-2-3', room: '202' }, 'the answer shows the reading that matched')
  const building = (await match(app, key, { ...DOGENZAKA, room: '202', building: 'ヒューマックス渋谷ビル' })).json()
  t.equal(building.fields.building, 'hit')
})

t.test('refusals: schema 400, foreign address and numberless block 422', async (t) => {
  const { app, key } = await setUp(t)
  const bad = await app.inject({ method: 'POST', url: '/v1/address-matches', headers: bearer(key), payload: { orderId: '注文 1', email: 'not-an-email', address: {} } })
  assertProblem(t, bad, 'VALIDATION_FAILED', { errors: [{ path: 'body.orderId', message: /pattern/ }, { path: 'body.email', message: 'must be a valid email' }] })
  assertProblem(t, await match(app, key, { prefecture: '東京都', city: '渋谷区' }), 'VALIDATION_FAILED',
    { errors: [{ path: 'body.address.town', message: 'is required' }, { path: 'body.address.block', message: 'is required' }] })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/address-matches', headers: bearer(key), payload: { email: 'a@b.jp', address: DOGENZAKA } }),
    'VALIDATION_FAILED', { errors: [{ path: 'body.orderId', message: 'is required' }] })
  assertProblem(t, await match(app, key, { ...DOGENZAKA, prefecture: 'California' }), 'ADDRESS_NOT_DOMESTIC', { errors: [{ path: 'body.address.prefecture', message: /not a Japanese prefecture/ }] })
  assertProblem(t, await match(app, key, { ...DOGENZAKA, block: '番地なし' }), 'ADDRESS_INVALID', { errors: [{ path: 'body.address.block', message: /no number/ }] })
  assertProblem(t, await match(app, key, { ...DOGENZAKA, line: '東京都渋谷区道玄坂1-2-3' }), 'VALIDATION_FAILED')
})

t.test('each match is recorded for audit, under the merchant, without personal data', async (t) => {
  const { app, key, merchant } = await setUp(t)
  await match(app, key, { ...DOGENZAKA, room: '202' }, { orderId: 'AUDIT-1' })
  await match(app, key, { ...DOGENZAKA, block: '9-9-9' }, { orderId: 'AUDIT-2' })
  const { rows } = await sql<{ merchant_id: string; order_id: string; result: string; count: number; row: string }>`
    select merchant_id, order_id, result, count, address_matches::text as row from address_matches order by created_at`.execute(app.db)
  t.match(rows, [{ merchant_id: merchant.id, order_id: 'AUDIT-1', result: 'full', count: 2 }, { order_id: 'AUDIT-2', result: 'none', count: 0 }])
  t.notMatch(rows.map((r) => r.row).join(), /example\.jp|道玄坂/)
})

t.test('scopes: a key without addresses:match is 403; the operator is not a merchant', async (t) => {
  const { app, merchant } = await setUp(t)
  const lists = await createKey(app, merchant.id, { scopes: ['lists:read'] })
  assertProblem(t, await match(app, lists.key, DOGENZAKA), 'FORBIDDEN', { detail: 'This API key lacks the scope addresses:match' })
  assertProblem(t, await match(app, operator.authorization.slice(7), DOGENZAKA), 'FORBIDDEN')
  const general = await createKey(app, merchant.id, { preset: 'general' })
  t.equal((await match(app, general.key, DOGENZAKA)).statusCode, 200)
})
