// Webhooks with a black-holed endpoint: does one dead endpoint slow every other merchant's
// webhooks? Two merchants on the same server, one after the other: the first with 9 healthy
// endpoints, the second with the same 9 healthy endpoints beside 1 that accepts the connection
// and never answers (each POST to it waits out the 10 s timeout). Each queues EVENTS test events
// per endpoint while the healthy sinks hold every answer (so the worker's pool is full and a
// backlog builds, as after an outage), then the sinks open and the healthy deliveries' drain rate
// is timed. Prints both rates and their ratio (target ≥ 0.9). Only 127.0.0.1; bounded in count
// and time.
//
//   npm run bench -- webhooks-blackhole          (BENCH_WEBHOOK_EVENTS=150 per endpoint)
import { setTimeout as sleep } from 'node:timers/promises'
import type { BenchContext, Scenario } from '../lib/scenario.js'
import { int } from './address/summary.js'
import { blackHole, healthySinks } from './webhooks-blackhole/sinks.js'

const HEALTHY = 9
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 150)
const TARGET = 0.9
const PHASE_LIMIT_MS = 180_000

type Phase = { title: string; delivered: number; seconds: number; rate: number }

async function merchant (ctx: BenchContext, name: string): Promise<string> {
  const m = await ctx.api('POST', '/v1/merchants', { token: ctx.adminToken, body: { name }, expect: 201 })
  const key = await ctx.api('POST', `/v1/merchants/${m.body.id}/api-keys`, { token: ctx.adminToken, body: { preset: 'full' }, expect: 201 })
  return String(key.body.key)
}

/** EVENTS test events to each endpoint, interleaved, four requests at a time. */
async function enqueue (ctx: BenchContext, key: string, endpoints: string[]): Promise<void> {
  const jobs = Array.from({ length: EVENTS }, () => endpoints).flat()
  let next = 0
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < jobs.length) {
      const id = jobs[next++]!
      await ctx.api('POST', `/v1/webhooks/${id}/test`, { token: key, expect: 202 })
    }
  }))
}

async function phase (ctx: BenchContext, title: string, withBlackHole: boolean): Promise<Phase> {
  const key = await merchant(ctx, title)
  const healthy = await healthySinks(HEALTHY)
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
    console.log(`   the black hole: ${hole.connections()} connections accepted, none answered; its 100 newest deliveries: ${JSON.stringify(states)}`)
  }
  return { title, delivered, seconds, rate: delivered / seconds }
}

async function finish (ctx: BenchContext): Promise<void> {
  console.log(`\nwebhooks-blackhole: ${HEALTHY} healthy endpoints, ${int.format(EVENTS)} test events each, with and without a black-holed tenth`)
  const without = await phase(ctx, 'without the black hole', false)
  const withHole = await phase(ctx, 'with the black hole', true)
  console.log('')
  for (const p of [without, withHole]) {
    console.log(`   ${p.title.padEnd(24)} ${int.format(p.delivered)} healthy deliveries in ${p.seconds.toFixed(2)} s: ${p.rate.toFixed(0)} /s`)
  }
  const ratio = withHole.rate / without.rate
  console.log(`   ratio (with / without): ${ratio.toFixed(2)} — target ≥ ${TARGET}: ${ratio >= TARGET ? 'met' : 'MISSED'}`)
}

const scenario: Scenario = {
  name: 'webhooks-blackhole',
  description: 'healthy endpoints\' webhook delivery rate beside a black-holed endpoint, against the same without it',
  setup: async () => [],
  finish,
}

export default scenario
