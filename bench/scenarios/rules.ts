// Merchant rules on the hot path: POST /v1/orders/score for a merchant with no rules and for one
// with a 50-rule live version and a 50-rule shadow version, in the order without, with, with,
// without (run order and drift cancel out), each request a new order from the score bench's mix.
// Target: with rules ≥ 0.90 of without (the ratio over both runs of each kind). Then every order
// the run stored is read back (GET /v1/orders/{orderId}) and its decision replayed under its own
// versions: target 100 % identical.
//
//   npm run bench -- rules          (BENCH_DURATION seconds per run, 10)
import type { BenchContext, RunResults, Scenario } from '../lib/scenario.js'
import { loadPlaces } from './address/places.js'
import { int } from './address/summary.js'
import { stampOrderIds, templates } from './score/bodies.js'
import { fiftyRules } from './rules/rulesets.js'

const TARGET = { ratio: 0.9, identical: 1 }
const PREFIX = { without: 'NR', with: 'WR' }
let withRules: { key: string } | undefined
/** The orderIds sent, per merchant: the load's makeBody stamps them, the replay reads them back. */
const sent = { without: [] as string[], with: [] as string[] }

function stamping (list: Parameters<typeof stampOrderIds>[0], prefix: string, into: string[]): (n: number) => string {
  const make = stampOrderIds(list, prefix)
  return (n) => { into.push(`${prefix}-${n}`); return make(n) }
}

async function rulesMerchant (ctx: BenchContext): Promise<string> {
  const m = await ctx.api('POST', '/v1/merchants', { token: ctx.adminToken, body: { name: 'ルールあり商店' }, expect: 201 })
  const key = String((await ctx.api('POST', `/v1/merchants/${m.body.id}/api-keys`, { token: ctx.adminToken, body: { preset: 'full' }, expect: 201 })).body.key)
  const live = await ctx.api('POST', '/v1/rulesets', { token: key, body: fiftyRules(1), expect: 201 })
  await ctx.api('POST', `/v1/rulesets/${live.body.version}/publish`, { token: key, expect: 200 })
  const shadow = await ctx.api('POST', '/v1/rulesets', { token: key, body: fiftyRules(2), expect: 201 })
  await ctx.api('POST', `/v1/rulesets/${shadow.body.version}/shadow`, { token: key, expect: 200 })
  return key
}

async function setup (ctx: BenchContext) {
  // Against an empty store and history: the mix's shapes (gifts, far ship-tos, mail, phones, cod) without the seeding.
  const list = templates(loadPlaces(), 100_000, 1_009, 400)
  const key = await rulesMerchant(ctx)
  withRules = { key }
  const auth = (k: string) => ({ authorization: `Bearer ${k}` })
  console.log('\n   merchant "bench": no rules; merchant "ルールあり商店": 50 live rules, 50 shadow rules')
  return [
    { title: 'score, no merchant rules (1)', method: 'POST' as const, path: '/v1/orders/score', headers: auth(ctx.apiKey), makeBody: stamping(list, `${PREFIX.without}1`, sent.without) },
    { title: 'score, 50 live + 50 shadow rules (1)', method: 'POST' as const, path: '/v1/orders/score', headers: auth(key), makeBody: stamping(list, `${PREFIX.with}1`, sent.with) },
    { title: 'score, 50 live + 50 shadow rules (2)', method: 'POST' as const, path: '/v1/orders/score', headers: auth(key), makeBody: stamping(list, `${PREFIX.with}2`, sent.with) },
    { title: 'score, no merchant rules (2)', method: 'POST' as const, path: '/v1/orders/score', headers: auth(ctx.apiKey), makeBody: stamping(list, `${PREFIX.without}2`, sent.without) },
  ]
}

/**
 * Every order sent, read back (one the load saw refused is 404 and was never stored); counts the
 * stored ones whose replay is identical.
 */
async function replayAll (baseUrl: string, key: string, ids: string[]): Promise<{ stored: number; identical: number; differ: string[]; seconds: number }> {
  const start = performance.now()
  let next = 0
  let stored = 0
  let identical = 0
  const differ: string[] = []
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < ids.length) {
      const id = ids[next++]!
      const res = await fetch(new URL(`/v1/orders/${encodeURIComponent(id)}`, baseUrl), { headers: { authorization: `Bearer ${key}` } })
      const body = await res.json() as { replay?: { identical?: boolean } | null }
      if (res.status === 404) continue
      if (res.status !== 200) throw new Error(`GET /v1/orders/${id} answered ${res.status}`)
      stored++
      if (body.replay?.identical === true) identical++
      else differ.push(id)
    }
  }))
  return { stored, identical, differ, seconds: (performance.now() - start) / 1000 }
}

/** What a decision costs to keep: bytes per order of features, trace and shadow (PostgreSQL, stored as jsonb). */
async function storedBytes (ctx: BenchContext): Promise<void> {
  if (ctx.database.kind !== 'postgres') return
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: ctx.database.url })
  await client.connect()
  try {
    const { rows: [r] } = await client.query<Record<string, string>>(`select
      round(avg(pg_column_size(features))) as features, round(avg(octet_length(features::text))) as features_text,
      round(avg(pg_column_size(trace))) as trace, round(avg(pg_column_size(shadow))) as shadow,
      round(avg(pg_column_size(response))) as response, count(*) as orders,
      round(avg(pg_column_size(o.*))) as row from orders o where features is not null`)
    console.log(`   stored per order (${r!.orders} orders, jsonb as stored): features ${r!.features} B (${r!.features_text} B as JSON text), ` +
      `trace ${r!.trace} B, shadow ${r!.shadow ?? 0} B, answer ${r!.response} B; the whole row ${r!.row} B`)
  } finally { await client.end() }
}

async function finish (ctx: BenchContext, results: RunResults): Promise<void> {
  if (withRules === undefined) throw new Error('finish before setup')
  const [a1, b1, b2, a2] = results.routes.map((r) => r.row)
  if (a1 === undefined || b1 === undefined || b2 === undefined || a2 === undefined) throw new Error('four runs expected')
  const without = (a1.m.reqPerSec + a2.m.reqPerSec) / 2
  const withR = (b1.m.reqPerSec + b2.m.reqPerSec) / 2
  const ratio = withR / without
  console.log(`\n== rules on the hot path ==\n   without: ${int.format(a1.m.reqPerSec)} and ${int.format(a2.m.reqPerSec)} req/s (p99 ${a1.m.p99} / ${a2.m.p99} ms)` +
    `\n   with 50 live + 50 shadow: ${int.format(b1.m.reqPerSec)} and ${int.format(b2.m.reqPerSec)} req/s (p99 ${b1.m.p99} / ${b2.m.p99} ms)` +
    `\n   ratio with / without: ${ratio.toFixed(3)} (target ≥ ${TARGET.ratio}) ${ratio >= TARGET.ratio ? 'met' : 'MISSED'}`)
  const runs = [{ key: ctx.apiKey, title: 'no rules', ids: sent.without }, { key: withRules.key, title: 'with rules', ids: sent.with }]
  let total = 0
  let same = 0
  for (const run of runs) {
    const r = await replayAll(ctx.baseUrl, run.key, run.ids)
    total += r.stored
    same += r.identical
    console.log(`   replay, ${run.title}: ${int.format(r.identical)} of ${int.format(r.stored)} stored orders identical in ${r.seconds.toFixed(1)} s` +
      (r.differ.length > 0 ? ` — differ: ${r.differ.slice(0, 5).join(', ')}` : ''))
  }
  await storedBytes(ctx)
  const share = total === 0 ? 0 : same / total
  console.log(`   replay of every stored order under its own versions: ${(share * 100).toFixed(2)} % identical (target 100 %) ${share >= TARGET.identical && total > 0 ? 'met' : 'MISSED'}`)
}

const scenario: Scenario = {
  name: 'rules',
  description: 'POST /v1/orders/score without merchant rules and with 50 live + 50 shadow rules; replay of every stored order',
  setup,
  finish,
}

export default scenario
