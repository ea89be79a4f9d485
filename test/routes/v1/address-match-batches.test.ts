// Batches end to end: upload (CSV with or without header, Shift_JIS, JSON), the worker, status,
// paged and CSV results, structural refusals, limits, tenancy and resuming after a crash.
import t from 'tap'
import iconv from 'iconv-lite'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'
import { startBatchWorker } from '../../../src/jobs/address-match-batches.js'
import { claimBatch, pendingRows, saveOutcomes } from '../../../src/db/address-match-batches.js'

const STORE = [
  'issuer,reported_on,prefecture,city,town,block,room,building',
  'A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,',
  'B社,2026-03-01,兵庫県,姫路市,飾磨区恵比酒,4丁目5番6号,,',
].join('\n') + '\n'
const HEADER = '注文番号,メールアドレス,都道府県,市区町村,地名,丁目・番地・号,階・部屋番号,建物名'
const ROWS = [
  'O-1,a@example.jp,東京都,渋谷区,道玄坂,1丁目2番3号,202号室,', // full
  'O-2,b@example.jp,東京都,渋谷区,道玄坂,1-2-3,,', // partial (no room given)
  'O-3,c@example.jp,兵庫県,姫路市飾磨区,恵比酒,4-5-6,101,', // full (record up to 号), other split
  'O-4,d@example.jp,東京都,渋谷区,道玄坂,9-9-9,,', // none
  'O-5,not-an-email,東京都,渋谷区,道玄坂,1-2-3,,', // row error
  'O-6,f@example.jp,東京都,渋谷区,,1-2-3,,', // row error: no town
]

async function setUp (t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const built = await build(t, { env: { SHINSA_RUN_JOBS: 'true', ...env } })
  await built.app.ready()
  await built.app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  const merchant = await createMerchant(built.app)
  const key = await createKey(built.app, merchant.id, { preset: 'shipping' })
  return { ...built, merchant, key: key.key }
}

async function waitDone (t: Parameters<typeof build>[0], app: FastifyInstance, key: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const res = await app.inject({ method: 'GET', url: `/v1/address-match-batches/${id}`, headers: bearer(key) })
    if (res.json().status === 'done') return res.json()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  t.fail('batch did not finish')
}

const upload = (app: FastifyInstance, key: string, payload: string | Buffer, type = 'text/csv') =>
  app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: { ...bearer(key), 'content-type': type }, payload })

t.test('a CSV batch: accepted, matched in the background, results paged and as CSV', async (t) => {
  const { app, key } = await setUp(t)
  const res = await upload(app, key, [HEADER, ...ROWS].join('\r\n') + '\r\n')
  t.equal(res.statusCode, 202, res.body)
  const accepted = res.json()
  t.match(accepted, { id: /^[0-9a-f-]{36}$/, status: /queued|running|done/, source: 'csv', encoding: 'utf-8', counts: { total: 6 } })
  t.equal(res.headers.location, `/v1/address-match-batches/${accepted.id}`)

  const done = await waitDone(t, app, key, accepted.id)
  t.match(done, { status: 'done', progress: 1, counts: { total: 6, processed: 6, full: 2, partial: 1, none: 1, errors: 2 }, finishedAt: /Z$/, durationMs: Number })

  const page1 = (await app.inject({ method: 'GET', url: `/v1/address-match-batches/${accepted.id}/results?limit=4`, headers: bearer(key) })).json()
  t.same(page1.items.map((r: { line: number; result: string | null }) => [r.line, r.result]), [[2, 'full'], [3, 'partial'], [4, 'full'], [5, 'none']])
  t.match(page1.items[0], { orderId: 'O-1', block: '1丁目2番3号', room: '202号室', count: 1, fields: { room: 'hit', building: 'unspecified' }, error: null })
  const page2 = (await app.inject({ method: 'GET', url: `/v1/address-match-batches/${accepted.id}/results?limit=4&after=${page1.nextCursor}`, headers: bearer(key) })).json()
  t.match(page2, { nextCursor: null, items: [{ line: 6, result: null, error: { field: 'email' } }, { line: 7, error: { field: 'town' } }] })
  const defaultPage = (await app.inject({ method: 'GET', url: `/v1/address-match-batches/${accepted.id}/results`, headers: bearer(key) })).json()
  t.equal(defaultPage.items.length, 6, 'up to 50 a page by default')

  const csv = await app.inject({ method: 'GET', url: `/v1/address-match-batches/${accepted.id}/results`, headers: { ...bearer(key), accept: 'text/csv' } })
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 with a BOM')
  const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
  t.equal(lines.length, 7)
  t.match(lines[0], /^注文番号,メールアドレス,住所\(都道府県\).*,照合結果,件数,判定\(都道府県\)/)
  t.equal(lines[1], 'O-1,a@example.jp,東京都,渋谷区,道玄坂,1丁目2番3号,202号室,,完全一致,1,該当あり,該当あり,該当あり,該当あり,該当あり,指定なし,')
  t.match(lines[4], /^O-4,.*,該当なし,0,該当あり,該当あり,該当あり,該当なし,指定なし,指定なし,$/)
  t.match(lines[5], /^O-5,not-an-email,.*,email: is not an e-mail address$/)

  const sjis = await app.inject({ method: 'GET', url: `/v1/address-match-batches/${accepted.id}/results?encoding=shift_jis`, headers: { ...bearer(key), accept: 'text/csv' } })
  t.match(sjis.headers['content-type'], /charset=shift_jis/)
  t.equal(iconv.decode(sjis.rawPayload, 'cp932').trim().split('\r\n')[1], lines[1], 'the same CSV in Shift_JIS')
})

t.test('header optional, Shift_JIS upload, JSON rows', async (t) => {
  const { app, key } = await setUp(t)
  // No header, and a first row whose columns look like labels (ORDER…, …mail…): still a row.
  const lookalike = await upload(app, key, ['ORDER-1,taro@gmail.com,東京都,渋谷区,道玄坂,1-2-3,202,', ROWS[1]].join('\n'))
  t.match(lookalike.json(), { counts: { total: 2 } })
  const noHeader = await upload(app, key, ROWS.slice(0, 2).join('\n'))
  t.match(noHeader.json(), { counts: { total: 2 } })
  t.match(await waitDone(t, app, key, noHeader.json().id), { counts: { full: 1, partial: 1 } })

  const sjis = await upload(app, key, iconv.encode([HEADER, ...ROWS.slice(0, 3)].join('\r\n'), 'cp932'))
  t.match(sjis.json(), { encoding: 'shift_jis', counts: { total: 3 } })
  t.match(await waitDone(t, app, key, sjis.json().id), { counts: { full: 2, partial: 1 } })

  const json = await app.inject({
    method: 'POST', url: '/v1/address-match-batches', headers: bearer(key),
    payload: { rows: [{ orderId: 'J-1', email: 'j@example.jp', prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '202' }, { orderId: 'J-2' }] },
  })
  t.equal(json.statusCode, 202)
  t.match(await waitDone(t, app, key, json.json().id), { source: 'json', counts: { total: 2, full: 1, errors: 1 } })
  const results = (await app.inject({ method: 'GET', url: `/v1/address-match-batches/${json.json().id}/results`, headers: bearer(key) })).json()
  t.match(results.items, [{ line: 1, result: 'full' }, { line: 2, error: { field: 'email' } }])
})

t.test('structural faults refuse the upload whole; limits answer 413', async (t) => {
  const { app, key, merchant } = await setUp(t, { SHINSA_BATCH_MAX_ROWS: '3' })
  assertProblem(t, await upload(app, key, [HEADER, ROWS[0], 'O-9,x@example.jp,東京都', ROWS[1]].join('\n')), 'CSV_INVALID',
    { errors: [{ path: 'line 3', message: 'has 3 columns, expected 8' }] })
  assertProblem(t, await upload(app, key, Buffer.concat([Buffer.from(`${HEADER}\n${ROWS[0]}\n`), Buffer.from([0x4f, 0xff, 0xfe, 0x2c, 0x0a])])), 'CSV_INVALID',
    { errors: [{ path: 'line 3', message: /not valid UTF-8/ }] })
  assertProblem(t, await upload(app, key, ''), 'CSV_INVALID', { detail: 'The file holds no rows' })
  assertProblem(t, await upload(app, key, HEADER + '\n'), 'CSV_INVALID')
  assertProblem(t, await upload(app, key, ROWS.slice(0, 4).join('\n')), 'PAYLOAD_TOO_LARGE', { detail: /at most 3 rows/ })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: bearer(key), payload: { rows: [{}, {}, {}, {}] } }),
    'PAYLOAD_TOO_LARGE')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: bearer(key), payload: { rows: [] } }), 'VALIDATION_FAILED')
  assertProblem(t, await upload(app, key, '<rows/>', 'application/xml'), 'UNSUPPORTED_MEDIA_TYPE')
  const { rows } = await sql<{ n: string }>`select count(*) as n from address_match_batches where merchant_id = ${merchant.id}`.execute(app.db)
  t.equal(rows[0]!.n, '0', 'nothing stored')
})

t.test('tenancy and scopes: another merchant\'s batch is 404; a key without addresses:match is 403', async (t) => {
  const { app, key } = await setUp(t)
  const id = (await upload(app, key, ROWS.slice(0, 1).join('\n'))).json().id
  await waitDone(t, app, key, id)
  const other = await createMerchant(app, 'other')
  const otherKey = await createKey(app, other.id, { preset: 'full' })
  for (const url of [`/v1/address-match-batches/${id}`, `/v1/address-match-batches/${id}/results`]) {
    assertProblem(t, await app.inject({ method: 'GET', url, headers: bearer(otherKey.key) }), 'NOT_FOUND', { detail: `No batch ${id}` })
    t.equal((await app.inject({ method: 'GET', url, headers: bearer(key) })).statusCode, 200, 'earlier batches stay readable')
  }
  const lists = await createKey(app, other.id, { scopes: ['lists:read'] })
  assertProblem(t, await upload(app, lists.key, ROWS[0]!), 'FORBIDDEN')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/address-match-batches/${id}`, headers: bearer(lists.key) }), 'FORBIDDEN')
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/address-match-batches/${id}`, headers: operator }), 'FORBIDDEN')
})

t.test('a batch whose worker died resumes where it stopped, each row matched once', async (t) => {
  const { app } = await build(t) // no background worker: the test drives them
  await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  const merchant = await createMerchant(app)
  const k = await createKey(app, merchant.id, { preset: 'shipping' })
  const rows = Array.from({ length: 25 }, (_, i) => `R-${i},r${i}@example.jp,東京都,渋谷区,道玄坂,1-2-3,${i % 2 === 0 ? '202' : '303'},`)
  const id = (await upload(app, k.key, rows.join('\n'))).json().id

  // Worker A claims the batch with a short lease, saves one page of 10, then dies.
  const silent = app.log.child({}, { level: 'silent' })
  const claimed = await claimBatch(app.db, 'worker-a', 200)
  t.same(claimed, { merchant_id: merchant.id, id })
  const first = await pendingRows(app.db, merchant.id, id, 10)
  t.ok(await saveOutcomes(app.db, merchant.id, id, 'worker-a', 200,
    first.map((r) => ({ line: r.line, result: 'none' as const, count: 0, judgments: { prefecture: 'hit', city: 'hit', town: 'hit', block: 'miss', room: 'miss', building: 'unspecified' } }))))
  t.notOk(await claimBatch(app.db, 'worker-b', 200), 'not claimable while the lease holds')
  await new Promise((resolve) => setTimeout(resolve, 300))

  const b = startBatchWorker(app.db, silent, { leaseMs: 5000, pageSize: 10, loop: false })
  t.ok(await b.runOnce(), 'worker B takes over the lapsed lease')
  await b.stop()
  t.notOk(await saveOutcomes(app.db, merchant.id, id, 'worker-a', 200, []), 'worker A lost its lease')
  const status = (await app.inject({ method: 'GET', url: `/v1/address-match-batches/${id}`, headers: bearer(k.key) })).json()
  t.match(status, { status: 'done', counts: { total: 25, processed: 25, none: 10, full: 8, partial: 7 } })
  const { rows: unmatched } = await sql<{ n: string }>`
    select count(*) as n from address_match_batch_rows where batch_id = ${id} and result is null`.execute(app.db)
  t.equal(unmatched[0]!.n, '0')

  // A batch that fails for a reason other than the database is retried, then marked failed.
  const broken = (await upload(app, k.key, rows.slice(0, 2).join('\n'))).json().id
  await sql`alter table fraud_addresses rename to fraud_addresses_away`.execute(app.db)
  const w = startBatchWorker(app.db, silent, { loop: false })
  for (let i = 0; i < 3; i++) t.ok(await w.runOnce(), `attempt ${i + 1}`)
  await sql`alter table fraud_addresses_away rename to fraud_addresses`.execute(app.db)
  t.match((await app.inject({ method: 'GET', url: `/v1/address-match-batches/${broken}`, headers: bearer(k.key) })).json(),
    { status: 'failed', failure: /matching failed 3 times/ })
  t.notOk(await w.runOnce(), 'a failed batch is not claimed again')

  // Two workers at once on two batches: each claims a different one.
  const ids = [(await upload(app, k.key, rows.slice(0, 3).join('\n'))).json().id, (await upload(app, k.key, rows.slice(3, 6).join('\n'))).json().id]
  const w1 = startBatchWorker(app.db, silent, { loop: false })
  const w2 = startBatchWorker(app.db, silent, { loop: false })
  t.same(await Promise.all([w1.runOnce(), w2.runOnce()]), [true, true])
  for (const bid of ids) {
    t.match((await app.inject({ method: 'GET', url: `/v1/address-match-batches/${bid}`, headers: bearer(k.key) })).json(), { status: 'done', counts: { processed: 3 } })
  }
})
