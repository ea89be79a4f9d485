import t from 'tap'
import iconv from 'iconv-lite'
import { Readable } from 'node:stream'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'
import { importFraudAddresses } from '../../../src/imports/fraud-address-import.js'

const HEADER = 'issuer,reported_on,prefecture,city,town,block,room,building'
const csvHeaders = { ...operator, 'content-type': 'text/csv' }

const GOOD = [
  HEADER,
  'A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,101,ヒューマックス渋谷ビル',
  'B社,2026/1/6,兵庫県,姫路市,飾磨区恵比酒,1丁目2番3号,,',
  'C社,2099-01-01,東京都,渋谷区,道玄坂,1-2-3,,', // future date
  'D社,2026-01-01,東京都,渋谷区', // 4 columns
  ',2026-01-01,東京都,渋谷区,道玄坂,1-2-3,,', // no issuer
  'E社,2026-02-30,東京都,渋谷区,道玄坂,1-2-3,,', // no such day
  'F社,2026-01-01,カリフォルニア州,ロサンゼルス,ダウンタウン,1-2-3,,', // not Japanese
  'G社,2026-01-01,東京都,渋谷区,道玄坂,番地なし,,', // block without a number
].join('\n') + '\n'

t.test('import: good lines land, bad lines are listed by line and reason; a re-import adds nothing', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports?name=issuers-2026-01.csv', headers: csvHeaders, payload: GOOD })
  t.equal(res.statusCode, 201, res.body)
  const record = res.json()
  t.match(record, {
    id: /^[0-9a-f-]{36}$/, name: 'issuers-2026-01.csv', status: 'done', encoding: 'utf-8',
    lines: 8, inserted: 2, duplicates: 0, rejected: 6, failure: null, finishedAt: /Z$/,
  })
  t.equal(res.headers.location, `/v1/fraud-addresses/imports/${record.id}`)
  t.same(record.errors.map((e: { line: number; field: string }) => [e.line, e.field]), [
    [4, 'reported_on'], [5, 'line'], [6, 'issuer'], [7, 'reported_on'], [8, 'prefecture'], [9, 'block'],
  ])
  t.match(record.errors[0].reason, /future/)
  t.match(record.errors[1].reason, /has 4 columns, expected 8/)

  const again = await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload: GOOD })
  t.match(again.json(), { status: 'done', inserted: 0, duplicates: 2, rejected: 6 })
  const { rows } = await sql<{ n: string }>`select count(*) as n from fraud_addresses`.execute(app.db)
  t.equal(rows[0]!.n, '2', 'nothing stored twice')

  const read = await app.inject({ method: 'GET', url: `/v1/fraud-addresses/imports/${record.id}`, headers: operator })
  t.equal(read.statusCode, 200)
  t.same(read.json(), record)
})

t.test('import: Shift_JIS is detected; an undecodable line is rejected, the rest land', async (t) => {
  const { app } = await build(t)
  const sjis = iconv.encode(`${HEADER}\r\nA社,2026-01-05,大阪府,大阪市,北区梅田,1-2-3,,\r\n`, 'cp932')
  const res = await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload: sjis })
  t.match(res.json(), { encoding: 'shift_jis', inserted: 1, rejected: 0 })
  const list = await app.inject({ method: 'GET', url: '/v1/fraud-addresses?city=大阪市北区&town=梅田', headers: operator })
  t.match(list.json().items, [{ issuer: 'A社', city: '大阪市', town: '北区梅田', block: '1-2-3', reportedOn: '2026-01-05' }])

  const broken = Buffer.concat([
    Buffer.from(`${HEADER}\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,,\n`),
    Buffer.from([0x42, 0xe7, 0xa4, 0x2c, 0xff, 0xfe, 0x0a]),
    Buffer.from('C社,2026-01-05,東京都,渋谷区,道玄坂,2-2-2,,\n'),
  ])
  const mixed = await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload: broken })
  t.match(mixed.json(), { encoding: 'utf-8', lines: 3, inserted: 2, rejected: 1, errors: [{ line: 3, field: 'line', reason: /not valid UTF-8/ }] })
})

t.test('import: a malformed upload is refused whole, with nothing stored', async (t) => {
  const { app } = await build(t)
  const cases: Array<[string | Buffer, RegExp]> = [
    ['', /The file is empty/],
    ['\n\n', /The file is empty/],
    ['a,b,c\n1,2,3\n', /The first line must be the header/],
    [`${HEADER},extra\n`, /The first line must be the header/],
  ]
  for (const [payload, detail] of cases) {
    assertProblem(t, await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload }), 'CSV_INVALID', { detail })
  }
  const { rows } = await sql<{ n: string }>`select (select count(*) from fraud_address_imports) + (select count(*) from fraud_addresses) as n`.execute(app.db)
  t.equal(rows[0]!.n, '0', 'no import record, no rows')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'application/json' }, payload: '{}' }),
    'UNSUPPORTED_MEDIA_TYPE')
})

t.test('import: an upload over SHINSA_IMPORT_MAX_BYTES is 413 before anything is stored', async (t) => {
  const { app } = await build(t, { env: { SHINSA_IMPORT_MAX_BYTES: '2048' } })
  const big = HEADER + '\n' + 'A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,,\n'.repeat(100)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload: big }), 'PAYLOAD_TOO_LARGE')
  const { rows } = await sql<{ n: string }>`select count(*) as n from fraud_address_imports`.execute(app.db)
  t.equal(rows[0]!.n, '0')
})

t.test('import: an upload that outgrows the limit mid-stream (no Content-Length) keeps nothing', async (t) => {
  const { app } = await build(t)
  async function * growing () {
    const lines = Array.from({ length: 1500 }, (_, i) => `A社,2026-01-05,東京都,渋谷区,道玄坂,4-${1 + (i % 40)}-${i},,`)
    yield Buffer.from(`${HEADER}\n${lines.join('\n')}\n`) // past the 64 kB sample: chunks land
    await new Promise((resolve) => setTimeout(resolve, 300))
    yield Buffer.alloc(100_000, 0x41)
  }
  await t.rejects(importFraudAddresses(app, growing(), { name: 'too big', maxBytes: 150_000, chunkSize: 100 }), { code: 'PAYLOAD_TOO_LARGE' })
  const { rows } = await sql<{ status: string; inserted: number; failure: string; n: string }>`
    select status, inserted, failure, (select count(*) from fraud_addresses) as n from fraud_address_imports where name = 'too big'`.execute(app.db)
  t.match(rows, [{ status: 'failed', inserted: 0, failure: /nothing was kept/, n: '0' }])
})

t.test('import: line endings LF, CRLF or CR alike; a line without end is refused', async (t) => {
  const { app } = await build(t)
  const body = [HEADER, 'A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,,', 'B社,2026-01-05,東京都,渋谷区,道玄坂,1-2-4,,'].join('\r')
  t.match((await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload: body })).json(), { lines: 2, inserted: 2 })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload: 'x'.repeat(100_000) }), 'CSV_INVALID',
    { errors: [{ path: 'line 1', message: /longer than/ }] })
})

t.test('import: chunks commit one by one and the record counts exactly what landed', async (t) => {
  const { app } = await build(t)
  const lines = [HEADER]
  for (let i = 1; i <= 7; i++) lines.push(`A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-${i},,`)
  lines.push('bad line')
  let progress: number[] = []
  const record = await importFraudAddresses(app, Readable.from([Buffer.from(lines.join('\n'))]), {
    name: 'chunks', maxBytes: 1e6, chunkSize: 3, onProgress: (n) => { progress.push(n) },
  })
  t.match(record, { status: 'done', lines: 8, inserted: 7, rejected: 1 })
  t.same(progress, [3, 6, 8])

  // A stream that dies after the first chunk (the client went away): it never arrived whole, so
  // what had landed goes too, and the record says failed and why.
  async function * dying () {
    // Past the 64 kB the reader samples to tell the encoding, so lines flow before the failure.
    const lines = Array.from({ length: 2000 }, (_, i) => `B社,2026-01-05,東京都,渋谷区,道玄坂,3-${1 + (i % 50)}-${i},,`)
    yield Buffer.from(`${HEADER}\n${lines.join('\n')}\n`)
    await new Promise((resolve) => setTimeout(resolve, 300))
    throw new Error('client went away')
  }
  let landedBeforeDeath = 0
  await t.rejects(importFraudAddresses(app, dying(), {
    name: 'dies', maxBytes: 1e6, chunkSize: 500, onProgress: (n) => { landedBeforeDeath = n },
  }), /client went away/)
  t.ok(landedBeforeDeath >= 500, `chunks had landed before the stream died (${landedBeforeDeath} lines)`)
  const { rows } = await sql<{ id: string; status: string; inserted: number; lines: number; failure: string }>`
    select id, status, inserted, lines, failure from fraud_address_imports where name = 'dies'`.execute(app.db)
  t.match(rows, [{ status: 'failed', inserted: 0, failure: 'the upload ended before it was complete; nothing was kept' }])
  const landed = await sql<{ n: string }>`select count(*) as n from fraud_addresses where import_id = ${rows[0]!.id}`.execute(app.db)
  t.equal(Number(landed.rows[0]!.n), 0, 'nothing of it kept')
  progress = []
})

t.test('store: search by normalized names, page, delete', async (t) => {
  const { app } = await build(t)
  const rows = [HEADER]
  for (let i = 1; i <= 5; i++) rows.push(`A社,2026-01-05,東京都,渋谷区,道玄坂,${i}-1-1,,`)
  rows.push('B社,2026-01-05,大阪府,大阪市北区,梅田,1-1-1,,')
  await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: csvHeaders, payload: rows.join('\n') })

  const seen: string[] = []
  let after: string | null = null
  do {
    const res: LightMyRequestResponse = await app.inject({ method: 'GET', url: '/v1/fraud-addresses', headers: operator, query: { town: '道玄坂', limit: '2', ...(after !== null ? { after } : {}) } })
    t.equal(res.statusCode, 200)
    seen.push(...res.json().items.map((i: { block: string }) => i.block))
    after = res.json().nextCursor
  } while (after !== null)
  t.same(seen, ['1-1-1', '2-1-1', '3-1-1', '4-1-1', '5-1-1'])
  const osaka = await app.inject({ method: 'GET', url: '/v1/fraud-addresses?prefecture=大阪府', headers: operator })
  t.equal(osaka.json().items.length, 1)
  const id = osaka.json().items[0].id

  const del = await app.inject({ method: 'DELETE', url: `/v1/fraud-addresses/${id}`, headers: operator })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/fraud-addresses/${id}`, headers: operator }), 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/fraud-addresses/imports/00000000-0000-4000-8000-000000000000', headers: operator }), 'NOT_FOUND')
})

t.test('the store is the operator\'s: merchant keys are refused', async (t) => {
  const { app } = await build(t)
  const m = await createMerchant(app)
  const key = await createKey(app, m.id, { preset: 'full' })
  for (const [method, url] of [['POST', '/v1/fraud-addresses/imports'], ['GET', '/v1/fraud-addresses'], ['DELETE', '/v1/fraud-addresses/1'],
    ['GET', '/v1/fraud-addresses/imports/00000000-0000-4000-8000-000000000000']] as const) {
    assertProblem(t, await app.inject({ method, url, headers: { ...bearer(key.key), 'content-type': 'text/csv' }, payload: method === 'POST' ? HEADER : undefined }), 'FORBIDDEN')
  }
})
