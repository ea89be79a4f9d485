// CSV uploads end to end: a full card number in any field of a batch or an import is refused by
// line and column and reaches no table, log line or answer; each line error names its own line;
// the results CSV is formula-safe.
import t from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'

const PAN = '4111 1111 1111 1111'
// The number as digits, however it was spaced: what must appear nowhere.
const leaked = (text: string) => text.replace(/[ -]/g, '').includes('4111111111111111')
const BATCH_HEADER = '注文番号,メールアドレス,都道府県,市区町村,地名,丁目・番地・号,階・部屋番号,建物名'
const IMPORT_HEADER = 'issuer,reported_on,prefecture,city,town,block,room,building'
const PAN_REASON = (line: number, column: number) => `line ${line} column ${column} holds a full card number (PAN): shinsa never stores one, the line is refused`

async function setUp (t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const built = await build(t, { env })
  await built.app.ready()
  const merchant = await createMerchant(built.app)
  const key = await createKey(built.app, merchant.id, { preset: 'shipping' })
  return { ...built, key: key.key }
}

const upload = (app: FastifyInstance, key: string, payload: string) =>
  app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: { ...bearer(key), 'content-type': 'text/csv' }, payload })

async function tableText (app: FastifyInstance, table: string): Promise<string> {
  const { rows } = await sql<{ t: string }>`select coalesce(json_agg(x)::text, '') as t from ${sql.table(table)} x`.execute(app.db)
  return rows[0]!.t
}

t.test('a batch with a card number in any field is refused whole, by line and column; nothing stored', async (t) => {
  const { app, key, rawLogs } = await setUp(t)
  const res = await upload(app, key, [
    BATCH_HEADER,
    'O-1,a@example.jp,東京都,渋谷区,道玄坂,1-2-3,202,',
    `O-2,b@example.jp,東京都,渋谷区,道玄坂,1-2-3,,${PAN}`,
    // The order number is guarded too, as rows[*].orderId is in a JSON batch.
    '4111-1111-1111-1111,c@example.jp,東京都,渋谷区,道玄坂,1-2-3,,',
  ].join('\n') + '\n')
  assertProblem(t, res, 'CSV_INVALID', {
    detail: '2 lines cannot be read; nothing was stored',
    errors: [{ path: 'line 3', message: PAN_REASON(3, 8) }, { path: 'line 4', message: PAN_REASON(4, 1) }],
  })
  t.notOk(leaked(res.body), 'the answer does not echo it')

  // A JSON batch is refused by the JSON guard, as before.
  const json = await app.inject({
    method: 'POST', url: '/v1/address-match-batches', headers: bearer(key),
    payload: { rows: [{ orderId: 'O-1', email: 'a@example.jp', prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', building: PAN }] },
  })
  assertProblem(t, json, 'CARD_NUMBER_REFUSED', { errors: [{ path: 'body.rows[0].building', message: 'must not hold a full card number (PAN)' }] })

  const { rows } = await sql<{ n: string }>`select count(*) as n from address_match_batch_rows`.execute(app.db)
  t.equal(rows[0]!.n, '0', 'no batch row stored')
  const batches = await sql<{ n: string }>`select count(*) as n from address_match_batches`.execute(app.db)
  t.equal(batches.rows[0]!.n, '0', 'no batch stored')
  t.notOk(leaked(rawLogs()), 'no log line holds it')
})

t.test('an import line with a card number is rejected by line and column; nothing of it stored', async (t) => {
  const { app, rawLogs } = await setUp(t)
  const res = await app.inject({
    method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' },
    payload: [
      IMPORT_HEADER,
      'A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,101,',
      `B社,2026-01-05,東京都,渋谷区,道玄坂,4-5-6,,${PAN}`,
      `${PAN},2026-01-05,東京都,渋谷区,道玄坂,7-8-9,,`,
    ].join('\n') + '\n',
  })
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json(), { status: 'done', lines: 3, inserted: 1, rejected: 2 })
  t.same(res.json().errors, [
    { line: 3, field: 'building', reason: PAN_REASON(3, 8) },
    { line: 4, field: 'issuer', reason: PAN_REASON(4, 1) },
  ])
  t.notOk(leaked(res.body), 'the answer does not echo it')

  const stored = await tableText(app, 'fraud_addresses')
  t.match(stored, /1-2-3/)
  t.notMatch(stored, /4-5-6|7-8-9/, 'nothing of the refused lines is stored')
  t.notOk(leaked(stored))
  t.notOk(leaked(await tableText(app, 'fraud_address_imports')), 'nor in the import record')

  const read = await app.inject({ method: 'GET', url: `/v1/fraud-addresses/imports/${res.json().id}`, headers: operator })
  t.notOk(leaked(read.body))
  const list = await app.inject({ method: 'GET', url: '/v1/fraud-addresses', headers: operator })
  t.equal(list.statusCode, 200)
  t.notOk(leaked(list.body))
  t.notOk(leaked(rawLogs()), 'no log line holds it')
})

t.test('an import whose header holds a card number is refused whole, without echoing it', async (t) => {
  const { app } = await setUp(t)
  const res = await app.inject({
    method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' },
    payload: `issuer,reported_on,prefecture,city,town,block,room,${PAN}\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,101,\n`,
  })
  assertProblem(t, res, 'CSV_INVALID', { errors: [{ path: 'line 1', message: PAN_REASON(1, 8) }] })
  t.notOk(leaked(res.body))
})

t.test('stray quotes: each line error names its own line, once', async (t) => {
  const { app, key } = await setUp(t)
  const res = await upload(app, key, [
    'O-1,a@example.jp,東京都,渋谷区,道玄坂,1-2-3,"202"号室,',
    'O-2,b@example.jp,東京都,渋谷区,道玄坂,1-2-3,202号"室",',
    'O-3,c@example.jp,東京都,渋谷区,道玄坂,1-2-3,,',
    'O-4,d@example.jp,東京都,渋谷区,道玄坂,1-2-3,,ビル"A"',
  ].join('\n') + '\n')
  assertProblem(t, res, 'CSV_INVALID', {
    detail: '3 lines cannot be read; nothing was stored',
    errors: [
      { path: 'line 1', message: 'line 1 column 7 has text after a closing quote: quote the whole field and double any quote inside it ("")' },
      { path: 'line 2', message: 'line 2 column 7 holds a quote (") inside an unquoted field: quote the whole field and double the quote ("")' },
      { path: 'line 4', message: 'line 4 column 8 holds a quote (") inside an unquoted field: quote the whole field and double the quote ("")' },
    ],
  })
  t.notMatch(res.body, /号室|ビル|value is/, 'no field is quoted back')
})

t.test('the results CSV neutralises cells a spreadsheet would evaluate', async (t) => {
  const { app, key } = await setUp(t, { SHINSA_RUN_JOBS: 'true' })
  const res = await upload(app, key, [
    BATCH_HEADER,
    '=1+2,a@example.jp,東京都,渋谷区,道玄坂,1-2-3,202,@SUM(A1)',
    'O-2,b@example.jp,東京都,渋谷区,道玄坂,-1-2-3,,+81-90-1234-5678',
  ].join('\n') + '\n')
  t.equal(res.statusCode, 202, res.body)
  const id = res.json().id
  for (let i = 0; i < 200; i++) {
    const s = await app.inject({ method: 'GET', url: `/v1/address-match-batches/${id}`, headers: bearer(key) })
    if (s.json().status === 'done') break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const csv = await app.inject({ method: 'GET', url: `/v1/address-match-batches/${id}/results`, headers: { ...bearer(key), accept: 'text/csv' } })
  t.equal(csv.statusCode, 200)
  const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n')
  t.equal(lines[0], BATCH_HEADER.replace(/,(都道府県|市区町村|地名|丁目・番地・号|階・部屋番号|建物名)/g, ',住所($1)') + ',照合結果,件数,判定(都道府県),判定(市区町村),判定(地名),判定(丁目・番地・号),判定(階・部屋番号),判定(建物名),エラー')
  const first = lines[1]!.split(',')
  t.equal(first[0], "'=1+2")
  t.equal(first[7], "'@SUM(A1)")
  const second = lines[2]!.split(',')
  t.equal(second[0], 'O-2')
  t.equal(second[5], "'-1-2-3")
  t.equal(second[7], "'+81-90-1234-5678")
  t.notMatch(csv.body, /(^|,)[=+@]/m, 'no cell starts a formula')

  // JSON answers are not for spreadsheets: they keep the values as sent.
  const json = await app.inject({ method: 'GET', url: `/v1/address-match-batches/${id}/results`, headers: bearer(key) })
  t.match(json.json().items[0], { orderId: '=1+2', building: '@SUM(A1)' })
})
