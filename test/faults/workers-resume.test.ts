// The background workers across a database outage, through a TCP proxy this test controls: a
// batch cut off mid-way resumes at its first unmatched row and counts every row once, and the
// webhook deliveries cut off mid-round all go out. Both resume as soon as the database is back,
// not when their leases (30 s, 60 s) lapse. PostgreSQL only: the embedded database cannot be
// cut off.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { bearer, createKey, createMerchant, freshDatabase, operator, testConfig, usingPostgres } from '../helper.js'
import { proxyTo } from './proxy.js'

const ROWS = 4000
const STORE = 'issuer,reported_on,prefecture,city,town,block,room,building\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,\n'
const HEADER = '注文番号,メールアドレス,都道府県,市区町村,地名,丁目・番地・号,階・部屋番号,建物名'
// Every 4th row is the stored address with its room (full), every 4th + 1 without one (partial),
// every 4th + 2 another block (none), every 4th + 3 has no town (a row error).
const row = (i: number) => [
  `O-${i},b${i}@example.jp,東京都,渋谷区,道玄坂,1-2-3,202,`,
  `O-${i},b${i}@example.jp,東京都,渋谷区,道玄坂,1-2-3,,`,
  `O-${i},b${i}@example.jp,東京都,渋谷区,道玄坂,9-9-${i},,`,
  `O-${i},b${i}@example.jp,東京都,渋谷区,,1-2-3,,`,
][i % 4]!

/** A webhook receiver that holds each answer a while, so a round is on the wire when the cut comes. */
async function receiver (holdMs: number) {
  const ids: string[] = []
  const types: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => { body += c })
    req.on('end', () => {
      const payload = JSON.parse(body) as { id: string; type: string }
      ids.push(payload.id)
      types.push(payload.type)
      setTimeout(() => res.writeHead(200).end('ok'), holdMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ids,
    types,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

async function until (what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (!await check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return Date.now() - started
}

t.test('batches and webhook deliveries resume where the outage stopped them', { skip: usingPostgres ? false : 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const db = await freshDatabase()
  const proxy = await proxyTo(new URL(db.url!))
  const proxied = new URL(db.url!)
  proxied.host = `127.0.0.1:${proxy.port}`
  // Each answer held 2 s: the 30 test events go out in two rounds (20, then 10) over about 4 s,
  // so a round is on the wire whenever the cut comes.
  const hook = await receiver(2000)
  const app: FastifyInstance = await buildApp(testConfig({
    DATABASE_URL: proxied.toString(), SHINSA_DB_TIMEOUT_MS: '1000', SHINSA_RUN_JOBS: 'true', SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true',
  }, db), { logStream: { write: () => {} }, jobs: { pollMs: 50, batchPageSize: 25 } })
  t.teardown(async () => { await app.close(); await hook.close(); await proxy.close(); await db.drop() })
  await app.ready()
  // Reads go straight to PostgreSQL: they must work while the app's connections are cut.
  const direct = new pg.Pool({ connectionString: db.url, max: 2 })
  t.teardown(() => direct.end())
  const one = async <T>(text: string, values: unknown[] = []): Promise<T> => (await direct.query(text, values)).rows[0] as T

  const imported = await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  t.equal(imported.statusCode, 201, 'the fraud-address store is loaded')
  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  const endpoint = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { url: hook.url, minLevel: 'high', mode: 'immediate' } })
  t.equal(endpoint.statusCode, 201, 'the endpoint is created')

  const events: string[] = []
  for (let i = 0; i < 30; i++) {
    const res = await app.inject({ method: 'POST', url: `/v1/webhooks/${endpoint.json().id}/test`, headers: bearer(key) })
    if (res.statusCode !== 202) throw new Error(`test event: ${res.statusCode} ${res.body}`)
    events.push(res.json().eventId)
  }
  await until('a webhook round is on the wire', async () => hook.ids.length > 0, 10_000)

  const csv = [HEADER, ...Array.from({ length: ROWS }, (_, i) => row(i))].join('\r\n') + '\r\n'
  const uploaded = await app.inject({ method: 'POST', url: '/v1/address-match-batches', headers: { ...bearer(key), 'content-type': 'text/csv' }, payload: csv })
  t.equal(uploaded.statusCode, 202, 'the batch is accepted')
  const batchId: string = uploaded.json().id
  const processed = async () => (await one<{ n: number }>('select processed_rows as n from address_match_batches where id = $1', [batchId])).n
  await until('the batch starts', async () => await processed() >= 100, 30_000)

  // The outage: every connection reset, new ones refused, for 2 s.
  proxy.set('reset')
  const cutAt = await processed()
  t.ok(cutAt < ROWS, `the batch was cut off mid-way (${cutAt} of ${ROWS} rows)`)
  const onTheWire = await one<{ n: number }>("select count(*)::int as n from webhook_deliveries where status = 'pending' and lease_owner is not null")
  t.ok(onTheWire.n > 0, `a round of deliveries was cut off mid-way (${onTheWire.n} leased)`)
  const sentBeforeCut = hook.ids.length
  await new Promise((resolve) => setTimeout(resolve, 2000))
  proxy.set('pass')
  const restoredAt = Date.now()

  // Resuming is timed, not finishing (which depends on the machine): a worker waiting for its
  // lease to lapse would not move for 30 s (batches) or 60 s (deliveries).
  const resumeMs = await until('the batch resumes', async () => await processed() > cutAt, 60_000)
  t.ok(resumeMs < 10_000, `the batch resumed ${resumeMs} ms after the database came back (its lease is 30 s)`)
  await until('the batch finishes', async () =>
    (await one<{ status: string }>('select status from address_match_batches where id = $1', [batchId])).status === 'done', 120_000)
  const batch = (await app.inject({ method: 'GET', url: `/v1/address-match-batches/${batchId}`, headers: bearer(key) })).json()
  t.match(batch.counts, { total: ROWS, processed: ROWS, full: ROWS / 4, partial: ROWS / 4, none: ROWS / 4, errors: ROWS / 4 }, 'every row counted once')
  const unmatched = await one<{ n: number }>('select count(*)::int as n from address_match_batch_rows where batch_id = $1 and result is null and error_field is null', [batchId])
  t.equal(unmatched.n, 0, 'every row has its outcome')

  await until('every webhook delivery is delivered', async () =>
    (await one<{ n: number }>("select count(*)::int as n from webhook_deliveries where status <> 'delivered'")).n === 0, 120_000)
  const webhookMs = Date.now() - restoredAt
  t.ok(webhookMs < 40_000, `the deliveries resumed and all went out ${webhookMs} ms after the database came back (their lease is 60 s)`)
  t.same(events.filter((id) => !hook.ids.includes(id)), [], 'every test event reached the receiver')
  t.ok(hook.types.includes('batch.completed'), 'and so did the batch\'s batch.completed')
  const counts = (await direct.query<{ status: string; n: number }>('select status, count(*)::int as n from webhook_deliveries group by status')).rows
  t.same(counts, [{ status: 'delivered', n: events.length + 1 }], 'no delivery is left pending or failed')
  // At least once: a delivery sent but not yet recorded when the database went is sent again.
  // Resent at most once each, and only those of the round the cut interrupted.
  const resent = hook.ids.length - new Set(hook.ids).size
  t.ok(resent <= 20, `${resent} deliveries sent again after the cut (${sentBeforeCut} had been sent before it)`)
})
