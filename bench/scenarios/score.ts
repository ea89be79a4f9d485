// Score: POST /v1/orders/score against a seeded merchant — 1,000,000 fraud addresses, 1,000,000
// past orders with their fraud history, 1,000 blocklist entries — each request a new orderId
// (a repeated one is the replay path), then at half the measured rate for its p99; the server's
// start-up time, its RSS with every dictionary loaded and after the load; EXPLAIN ANALYZE of the
// route's statements on PostgreSQL. Each figure beside its target.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { atHalfRate } from '../lib/half-rate.js'
import type { Failure, Measurement } from '../lib/load.js'
import { rssMb } from '../lib/proc.js'
import type { BenchContext, Route, RunResults, Scenario } from '../lib/scenario.js'
import { loadPlaces } from './address/places.js'
import { int, Summary } from './address/summary.js'
import { uploadImport, writeImportFile } from './address/upload.js'
import { fillBlocklist } from './score/blocklist.js'
import { checkTemplates } from './score/check.js'
import { describeMix, stampOrderIds, templates, type Template } from './score/bodies.js'
import { explainScore } from './score/explain.js'
import { seedOrdersApi, seedOrdersSql } from './score/seed-orders.js'
import { measureStartup, nameReadingsCost, timedScore } from './score/startup.js'

const TARGET = { ratio: 0.5, halfRateP99: 10, rssMb: 250 }
const SCORE_PATH = '/v1/orders/score'
const POOL = 500

function sizeFrom (name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`)
  return Number(raw)
}

// PGlite is single-threaded WASM inside the server, and its orders go through the API: fewer.
const sizes = (postgres: boolean) => ({
  fraudAddresses: sizeFrom('BENCH_ROWS', postgres ? 1_000_000 : 100_000),
  orders: sizeFrom('BENCH_ORDERS', postgres ? 1_000_000 : 5_000),
  // Each buyer has about ten past orders (five on PGlite); a prime, so order j's buyer (j·7919 mod people) cycles through all.
  people: postgres ? 100_003 : 1_009,
})

/**
 * BENCH_WEBHOOKS=N: N immediate webhook endpoints (minLevel elevated) on a local sink that
 * answers 200, so the run includes the outbox writes and deliveries. Compare with a run without.
 */
async function webhookSink (ctx: BenchContext, n: number): Promise<Sink> {
  let received = 0
  const ids = new Set<string>()
  const server = createServer((req, res) => {
    ids.add(String(req.headers['shinsa-delivery']))
    req.resume()
    req.on('end', () => { received++; res.end('ok') })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  server.unref()
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  for (let i = 0; i < n; i++) {
    await ctx.api('POST', '/v1/webhooks', { token: ctx.apiKey, body: { url, minLevel: 'elevated', mode: 'immediate' }, expect: 201 })
  }
  console.log(`\n   ${n} immediate webhook endpoints → ${url} (every elevated or high order is posted ${n} times)`)
  return { received: () => received, distinct: () => ids.size }
}
type Sink = { received: () => number; distinct: () => number }
let sink: Sink | undefined

type State = { summary: Summary; postgres: boolean; pool: Template[]; warmRss: number | undefined }
let state: State | undefined

const mb = (v: number | undefined) => v === undefined ? '?' : `${v.toFixed(0)} MB`

async function vacuumAnalyze (url: string): Promise<void> {
  const start = performance.now()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const table of ['fraud_addresses', 'orders', 'fraud_history', 'blocklist_entries', 'merchant_amount_stats']) await client.query(`vacuum (analyze) ${table}`)
  } finally { await client.end() }
  console.log(`\n4. vacuum (analyze) of the seeded tables: ${((performance.now() - start) / 1000).toFixed(1)} s (what autovacuum would do next, mid-load)`)
}

async function seed (ctx: BenchContext, postgres: boolean, size: ReturnType<typeof sizes>, places: ReturnType<typeof loadPlaces>): Promise<number> {
  console.log(`\n1. fraud-address store: ${int.format(size.fraudAddresses)} generated lines through POST /v1/fraud-addresses/imports (the address scenario's generator)` +
    (postgres ? '' : ' — PGlite: 100,000 by default'))
  const file = await writeImportFile(places, size.fraudAddresses)
  const run = await uploadImport(ctx, file)
  console.log(`   ${int.format(run.record.inserted)} rows stored in ${run.seconds.toFixed(1)} s (status ${run.record.status})`)

  console.log(`\n2. ${int.format(size.orders)} past orders of ${int.format(size.people)} buyers, 1 % by fraudsters (fraud_confirmed, filed in fraud_history)`)
  let seeded
  if (ctx.database.kind === 'postgres') {
    const others = []
    for (let i = 1; i <= 4; i++) others.push(String((await ctx.api('POST', '/v1/merchants', { token: ctx.adminToken, body: { name: `other ${i}` }, expect: 201 })).body.id))
    console.log('   straight into the database with SQL: 60 % the bench merchant\'s, 40 % four other merchants\'')
    seeded = await seedOrdersSql(ctx.database.url, places, [ctx.merchantId, ...others], size.orders, size.people)
  } else {
    console.log('   PGlite: the server holds the database, so through POST /v1/orders/score and feedback, all the bench merchant\'s')
    seeded = await seedOrdersApi(ctx.api, ctx.apiKey, places, size.orders, size.people)
  }
  console.log(`   ${int.format(seeded.orders)} orders, ${int.format(seeded.fraudOrders)} fraud_confirmed` +
    (Number.isNaN(seeded.historyRows) ? '' : `, ${int.format(seeded.historyRows)} fraud_history rows`) + ` in ${seeded.seconds.toFixed(1)} s`)

  const list = await fillBlocklist(ctx.api, ctx.apiKey, places)
  console.log(`\n3. blocklist: ${int.format(list.count)} entries through POST /v1/blocklist in ${list.seconds.toFixed(1)} s`)
  if (ctx.database.kind === 'postgres') await vacuumAnalyze(ctx.database.url)
  else console.log('\n4. vacuum (analyze): PostgreSQL only')
  return run.record.inserted
}

async function memoryStep (ctx: BenchContext, summary: Summary, postgres: boolean): Promise<number | undefined> {
  console.log('\n5. start-up and memory')
  const before = await rssMb(ctx.serverPid)
  const first = await timedScore(ctx.api, ctx.apiKey, 'WARMUP-1')
  const second = await timedScore(ctx.api, ctx.apiKey, 'WARMUP-2')
  const warmRss = await rssMb(ctx.serverPid)
  console.log(`   bench server: RSS ${mb(before)} after seeding; warm-up score ${first.toFixed(0)} ms (dictionaries read), then ${second.toFixed(1)} ms; RSS ${mb(warmRss)}`)
  summary.add('RSS, bench server after warm-up', mb(warmRss), 'figure only', null, 'holds what the import left')
  const s = await measureStartup(ctx)
  console.log(`   fresh server ${s.note}: ready in ${int.format(s.ms)} ms (spawn to /readyz 200), RSS ${mb(s.readyRss)}; ` +
    `first score ${s.firstMs.toFixed(0)} ms, second ${s.secondMs.toFixed(1)} ms; RSS with every dictionary loaded ${mb(s.warmRss)}`)
  const readings = await nameReadingsCost()
  if (readings !== undefined) {
    console.log(`   the name-readings table alone, in a bare process: ${readings.ms.toFixed(0)} ms, RSS +${readings.peakMb.toFixed(0)} MB at peak, ` +
      `+${readings.afterGcMb.toFixed(0)} MB after a full GC (heap kept +${readings.heapMb.toFixed(1)} MB) — in the figure above only if ` +
      'the route reached it (KANA_MISMATCH in the check below)')
  }
  summary.add('start-up, spawn to /readyz 200', `${int.format(s.ms)} ms`, 'figure only', null, postgres ? 'seeded database' : 'empty memory:// PGlite')
  summary.add('RSS, fresh server, every dictionary loaded', mb(s.warmRss), `≤ ${TARGET.rssMb} MB`,
    postgres ? s.warmRss !== undefined && s.warmRss <= TARGET.rssMb : null, postgres ? undefined : 'target is for PostgreSQL')
  return warmRss
}

/**
 * Seeds the merchant (fraud addresses, past orders, blocklist), optionally measures start-up and
 * memory, and answers the score route to load: each request a new orderId from 500 templates.
 * The overload and db-restart scenarios load the same route on a smaller seed (`size`).
 */
export async function prepareScoring (ctx: BenchContext, opts: { memory: boolean; size?: Partial<ReturnType<typeof sizes>> }): Promise<Route> {
  const postgres = ctx.database.kind === 'postgres'
  const size = { ...sizes(postgres), ...opts.size }
  const summary = new Summary()
  const places = loadPlaces()
  console.log(`places   ${int.format(places.stored.length)} real towns (Geolonia corpus); people, blocks and rooms synthetic`)
  const stored = await seed(ctx, postgres, size, places)
  const warmRss = opts.memory ? await memoryStep(ctx, summary, postgres) : undefined

  const hooks = sizeFrom('BENCH_WEBHOOKS', 0)
  if (process.env.BENCH_WEBHOOKS !== undefined && process.env.BENCH_WEBHOOKS !== '') sink = await webhookSink(ctx, hooks)
  const pool = templates(places, stored, size.people, POOL)
  console.log(`\n6. ${SCORE_PATH}: ${POOL} order templates in turn, each request a new orderId — ${describeMix()}`)
  await checkTemplates(ctx, pool)
  state = { summary, postgres, pool, warmRss }
  return {
    title: `POST ${SCORE_PATH} (new orderId each; ${int.format(stored)} fraud addresses, ${int.format(size.orders)} past orders)`,
    method: 'POST',
    path: SCORE_PATH,
    headers: { authorization: `Bearer ${ctx.apiKey}` },
    makeBody: stampOrderIds(pool, 'LOAD'),
  }
}

const scenario: Scenario = {
  name: 'score',
  description: 'POST /v1/orders/score on 1,000,000 fraud addresses and 1,000,000 past orders (new orderId per request), start-up and RSS',
  setup: async (ctx) => [await prepareScoring(ctx, { memory: true })],
  finish,
}

function printFailures (m: Measurement): void {
  const failures: Failure[] = m.failures ?? []
  for (const f of failures) console.log(`   ! ${f.status}: ${f.answer.slice(0, 400)}\n     sent: ${f.sent}`)
}

async function loadOrders (url: string, merchantId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const res = await client.query<{ n: number }>("select count(*)::int as n from orders where merchant_id = $1 and order_id like 'LOAD-%'", [merchantId])
    return res.rows[0]!.n
  } finally { await client.end() }
}

async function finish (ctx: BenchContext, results: RunResults): Promise<void> {
  if (state === undefined) throw new Error('finish before setup')
  const { summary, postgres, pool } = state
  const score = results.routes[0]
  if (score === undefined) throw new Error('the score route was not measured')
  const full = score.row
  printFailures(full.m)
  const afterLoad = await rssMb(ctx.serverPid)
  summary.add('score: req/s', `${int.format(full.m.reqPerSec)} req/s (p50 ${full.m.p50} ms, p99 ${full.m.p99} ms)`, 'figure only', null, 'see ratio')
  summary.add('score: ratio to ceiling', full.ratio.toFixed(3), `≥ ${TARGET.ratio.toFixed(2)}`, full.ratio >= TARGET.ratio && full.m.non2xx === 0)

  console.log(`\n7. ${SCORE_PATH} at half the measured rate: ${int.format(Math.floor(full.m.reqPerSec / 2))} req/s for ${results.load.duration} s`)
  const half = await atHalfRate(ctx, score.route, full.m.reqPerSec, results.load)
  console.log(`   ${int.format(half.m.reqPerSec)} req/s, p50 ${half.m.p50} ms, p99 ${half.m.p99} ms, non-2xx ${half.m.non2xx}, errors ${half.m.errors} — target p99 ≤ ${TARGET.halfRateP99} ms`)
  printFailures(half.m)
  const cpu = (v: number | undefined) => v === undefined ? '?' : v.toFixed(2)
  console.log(`   CPU per request: server ${cpu(half.serverCpuMs)} ms` + (postgres ? `, PostgreSQL backends ${cpu(half.databaseCpuMs)} ms` : ' (PGlite inside it)'))
  summary.add(`score at half rate (${int.format(half.rate)}/s): p99`, `${half.m.p99} ms`, `≤ ${TARGET.halfRateP99} ms`, half.m.p99 <= TARGET.halfRateP99 && half.m.non2xx === 0)

  const afterHalf = await rssMb(ctx.serverPid)
  const peak = Math.max(afterLoad ?? 0, afterHalf ?? 0)
  console.log(`   bench server RSS: ${mb(state.warmRss)} after warm-up, ${mb(afterLoad)} after the full-speed run, ${mb(afterHalf)} after the half-rate run`)
  summary.add('RSS, bench server after the load', mb(peak), `≤ ${TARGET.rssMb} MB`,
    postgres ? peak <= TARGET.rssMb : null, postgres ? 'it also served the import' : 'target is for PostgreSQL')

  if (ctx.database.kind === 'postgres') {
    // Every request must have been scored, not replayed: each left an order of its own.
    const sent = (full.m.reqPerSec + half.m.reqPerSec) * (results.load.duration + results.load.warmup)
    console.log(`   orders the load inserted: ${int.format(await loadOrders(ctx.database.url, ctx.merchantId))} (about ${int.format(sent)} requests sent, warm-ups included)`)
    const pick = (kind: string) => pool.find((t) => t.kind === kind)!
    await explainScore(ctx.database.url, ctx.apiKey, [
      { title: 'clean order', order: { ...pick('clean').order, orderId: 'EXPLAIN-1' } },
      { title: 'past fraudster again', order: { ...pick('a past fraudster again').order, orderId: 'EXPLAIN-2' } },
      { title: 'ship-to a drop point', order: { ...pick('ship-to a drop point').order, orderId: 'EXPLAIN-3' } },
    ])
  }
  if (sink !== undefined) {
    console.log(`   webhook POSTs received by the sink: ${int.format(sink.received())}, of ${int.format(sink.distinct())} deliveries`)
    if (ctx.database.kind === 'postgres') {
      const client = new pg.Client({ connectionString: ctx.database.url })
      await client.connect()
      try {
        const { rows } = await client.query<{ status: string; n: number; attempts: number }>(
          'select status, count(*)::int as n, sum(attempts)::int as attempts from webhook_deliveries group by status order by status')
        console.log(`   webhook deliveries in the database: ${rows.map((r) => `${r.status} ${int.format(r.n)} (${int.format(r.attempts)} attempts)`).join(', ')}`)
      } finally {
        await client.end()
      }
    }
  }
  summary.print()
}

export default scenario
