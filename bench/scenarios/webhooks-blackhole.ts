// Webhooks with a black-holed endpoint: does one dead endpoint slow every other merchant's
// webhooks? Four runs (without, with, with, without), each on a server and database of its own
// (a run on an earlier one's leftovers would be slower for that alone: PGlite never vacuums nor
// analyzes, and the claim's plan changes with the table): 9 healthy endpoints, then the same 9 beside 1 that accepts the
// connection and never answers (each POST to it waits out the 10 s timeout). Each queues EVENTS
// test events per endpoint while the healthy sinks hold every answer (so the worker's pool is
// full and a backlog builds, as after an outage; no longer than 5 s, or the held POSTs would time
// out and count against the healthy endpoints' circuits), then the sinks open and the healthy
// deliveries' drain rate is timed. Prints the rates and the ratio (target ≥ 0.9), and the most
// sockets the worker had open to the black hole at once against its per-endpoint limit (4). Only
// 127.0.0.1; bounded in count and time.
//
//   npm run bench -- webhooks-blackhole          (BENCH_WEBHOOK_EVENTS=150 per endpoint)
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { apiClient, type Api } from '../lib/api.js'
import { createBenchDatabase, databaseEnv } from '../lib/database.js'
import { stopChild } from '../lib/proc.js'
import type { Scenario } from '../lib/scenario.js'
import { startServer } from '../lib/server.js'
import { int } from './address/summary.js'
import { blackHole, healthySinks, type BlackHole } from './webhooks-blackhole/sinks.js'

const HEALTHY = 9
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 150)
const TARGET = 0.9
const PHASE_LIMIT_MS = 180_000
/** The worker's per-endpoint limit (its default) and attempt timeout. */
const PER_ENDPOINT = 4
const TIMEOUT_MS = 10_000

type Phase = { title: string; delivered: number; seconds: number; rate: number; hole?: BlackHole }
type Ctx = { api: Api; adminToken: string }

/** A server on a database of its own, for one phase; stopped after it. */
async function phaseServer (): Promise<Ctx & { stop: () => Promise<void> }> {
  const database = await createBenchDatabase(process.env.DATABASE_URL)
  const adminToken = randomBytes(16).toString('hex')
  const server = await startServer({ ...databaseEnv(database), SHINSA_ADMIN_TOKEN: adminToken })
  return { api: apiClient(server.baseUrl), adminToken, stop: () => stopChild(server.child) }
}

async function merchant (ctx: Ctx, name: string): Promise<string> {
  const m = await ctx.api('POST', '/v1/merchants', { token: ctx.adminToken, body: { name }, expect: 201 })
  const key = await ctx.api('POST', `/v1/merchants/${m.body.id}/api-keys`, { token: ctx.adminToken, body: { preset: 'full' }, expect: 201 })
  return String(key.body.key)
}

/** EVENTS test events to each endpoint, interleaved, four requests at a time. */
async function enqueue (ctx: Ctx, key: string, endpoints: string[]): Promise<void> {
  const jobs = Array.from({ length: EVENTS }, () => endpoints).flat()
  let next = 0
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < jobs.length) {
      const id = jobs[next++]!
      await ctx.api('POST', `/v1/webhooks/${id}/test`, { token: key, expect: 202 })
    }
  }))
}

async function phase (title: string, withBlackHole: boolean): Promise<Phase> {
  const ctx = await phaseServer()
  try {
    return await drain(ctx, title, withBlackHole)
  } finally {
    await ctx.stop()
  }
}

async function drain (ctx: Ctx, title: string, withBlackHole: boolean): Promise<Phase> {
  const key = await merchant(ctx, title)
  const healthy = await healthySinks(HEALTHY, TIMEOUT_MS / 2)
  const hole = withBlackHole ? await blackHole() : undefined
  const urls = [...(hole !== undefined ? [hole.url] : []), ...healthy.sinks.map((s) => s.url)]
  const endpoints: string[] = []
  for (const url of urls) {
    const e = await ctx.api('POST', '/v1/webhooks', { token: key, body: { url, minLevel: 'elevated', mode: 'immediate' }, expect: 201 })
    endpoints.push(String(e.body.id))
  }
  const queuedAt = performance.now()
  await enqueue(ctx, key, endpoints)
  const want = HEALTHY * EVENTS
  const early = healthy.distinct()
  console.log(`   ${title}: ${int.format(endpoints.length * EVENTS)} events queued in ${((performance.now() - queuedAt) / 1000).toFixed(1)} s; ` +
    `${int.format(healthy.distinct())} healthy deliveries waiting at the sinks; the sinks open`)
  const t0 = performance.now()
  healthy.open()
  while (healthy.distinct() < want && performance.now() - t0 < PHASE_LIMIT_MS) await sleep(20)
  const seconds = (performance.now() - t0) / 1000
  const delivered = healthy.distinct()
  if (delivered < want) console.log(`   ${title}: only ${int.format(delivered)} of ${int.format(want)} within ${PHASE_LIMIT_MS / 1000} s`)
  if (hole !== undefined) {
    const page = await ctx.api('GET', `/v1/webhooks/${endpoints[0]}/deliveries?limit=100`, { token: key })
    const states = (page.body.items as Array<{ status: string; attempts: unknown[] }>)
      .reduce<Record<string, number>>((acc, d) => { const k = `${d.status}/${d.attempts.length} attempts`; acc[k] = (acc[k] ?? 0) + 1; return acc }, {})
    console.log(`   the black hole: ${hole.connections()} connections accepted, none answered, at most ${hole.mostOpen()} open at once; ` +
      `its 100 newest deliveries: ${JSON.stringify(states)}`)
  }
  // Only what arrived once the sinks opened: what came while they held answers was not timed.
  return { title, delivered: delivered - early, seconds, rate: (delivered - early) / seconds, hole }
}

async function finish (): Promise<void> {
  console.log(`\nwebhooks-blackhole: ${HEALTHY} healthy endpoints, ${int.format(EVENTS)} test events each, with and without a black-holed tenth`)
  // In the order without, with, with, without: the first run on this machine is the slow one
  // whatever it holds (its events queue twice as slowly), and drift cancels out.
  const runs: Phase[] = []
  for (const withBlackHole of [false, true, true, false]) runs.push(await phase(withBlackHole ? 'with the black hole' : 'without the black hole', withBlackHole))
  console.log('')
  for (const p of runs) {
    console.log(`   ${p.title.padEnd(24)} ${int.format(p.delivered)} healthy deliveries in ${p.seconds.toFixed(2)} s: ${p.rate.toFixed(0)} /s`)
  }
  const both = (hole: boolean): Phase => {
    const r = runs.filter((p) => (p.hole !== undefined) === hole)
    const delivered = r.reduce((n, p) => n + p.delivered, 0)
    const seconds = r.reduce((n, p) => n + p.seconds, 0)
    return { title: hole ? 'with, both runs' : 'without, both runs', delivered, seconds, rate: delivered / seconds }
  }
  const without = both(false)
  const withHole = both(true)
  for (const p of [without, withHole]) console.log(`   ${p.title.padEnd(24)} ${p.rate.toFixed(0)} /s`)
  const ratio = withHole.rate / without.rate
  const most = Math.max(...runs.map((p) => p.hole?.mostOpen() ?? 0))
  console.log(`   ratio (with / without): ${ratio.toFixed(2)} — target ≥ ${TARGET}: ${ratio >= TARGET ? 'met' : 'MISSED'}`)
  console.log(`   sockets open to the black hole at once: at most ${most}, limit ${PER_ENDPOINT} per endpoint: ${most <= PER_ENDPOINT ? 'met' : 'MISSED'}`)
}

const scenario: Scenario = {
  name: 'webhooks-blackhole',
  description: 'healthy endpoints\' webhook delivery rate beside a black-holed endpoint, against the same without it',
  setup: async () => [],
  finish,
}

export default scenario
