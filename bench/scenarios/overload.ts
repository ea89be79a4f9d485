// Overload: POST /v1/orders/score on a server with load shedding on at its defaults (event-loop
// delay and database pool wait; the per-key rate limit stays off, the bench has one key). The
// route's capacity is measured first (closed loop, 10 connections); then requests arrive at fixed
// rates from half that to three times it, whether or not earlier ones were answered (open loop):
// where 503 OVERLOADED starts, and at twice that rate the share of 503s, any other 5xx, the rate
// still served and its latency.
import { loadConfig } from '../../src/config.js'
import { openLoad, tally, type Tally } from '../lib/open-load.js'
import type { BenchContext, RunResults, Scenario } from '../lib/scenario.js'
import { int } from './address/summary.js'
import { prepareScoring } from './score.js'

// The server's shedding settings: its defaults, or these variables when set (to compare settings).
const defaults = loadConfig({ SHINSA_MAX_DB_WAITING: process.env.SHINSA_MAX_DB_WAITING, SHINSA_MAX_EVENT_LOOP_DELAY_MS: process.env.SHINSA_MAX_EVENT_LOOP_DELAY_MS })
const STEPS = [0.5, 0.8, 1, 1.25, 1.5, 2, 3]

const pct = (part: number, whole: number) => whole === 0 ? '0 %' : `${(100 * part / whole).toFixed(1)} %`
const ms = (v: number) => Number.isNaN(v) ? '—' : `${int.format(Math.round(v))} ms`

function print (label: string, s: Tally): void {
  const codes = [...s.byStatus].map(([c, n]) => `${c} ×${int.format(n)}`).join(', ')
  console.log(`   ${label.padEnd(15)} offered ${int.format(s.offered).padStart(5)}/s → served ${int.format(s.served).padStart(5)}/s, 503 ${pct(s.shed, s.sent).padStart(6)}, ` +
    `other 5xx ${s.other5xx}, errors ${s.errors}; 2xx p50 ${ms(s.okP50)}, p99 ${ms(s.okP99)} (from when due; client lag ≤ ${ms(s.maxSendLag)})  [${codes}]`)
}

async function finish (ctx: BenchContext, results: RunResults): Promise<void> {
  const score = results.routes[0]
  if (score?.route.makeBody === undefined) throw new Error('the score route was not measured')
  const capacity = score.row.m.reqPerSec
  const durationMs = results.load.duration * 1000
  const target = {
    origin: ctx.baseUrl, path: score.route.path, method: 'POST', body: score.route.makeBody,
    headers: { ...score.route.headers, 'content-type': 'application/json' },
  }
  const run = async (rate: number) => tally(await openLoad(target, { rate, durationMs }), rate, durationMs)
  console.log(`\noverload: capacity ${int.format(capacity)} req/s (${results.load.connections} connections, closed loop); now requests arriving at fixed rates, ` +
    `evenly spaced, as many in flight as it takes (shedding at event-loop delay > ${defaults.maxEventLoopDelayMs} ms, or > ${defaults.maxDbWaiting} ` +
    `queries waiting for one of ${defaults.dbPoolMax} connections)`)
  const steps: Tally[] = []
  for (const factor of STEPS) {
    const step = await run(Math.max(1, Math.round(capacity * factor)))
    steps.push(step)
    print(`${factor}× capacity`, step)
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
  const first = steps.find((s) => s.shed > 0)
  if (first === undefined) {
    console.log(`\n   no 503 up to ${int.format(steps.at(-1)!.offered)} req/s offered: shedding never started`)
    return
  }
  const before = steps[steps.indexOf(first) - 1]
  const twice = await run(Math.round(first.offered * 2))
  print('2× that', twice)
  console.log('\nsummary')
  console.log(`   shedding starts between ${before === undefined ? '?' : int.format(before.offered)} and ${int.format(first.offered)} req/s offered ` +
    `(${pct(first.shed, first.sent)} answered 503 OVERLOADED at ${int.format(first.offered)}/s, ${int.format(first.served)}/s served; capacity ${int.format(capacity)}/s)`)
  console.log(`   at twice that, ${int.format(twice.offered)} req/s offered: ${pct(twice.shed, twice.sent)} answered 503 OVERLOADED, ${twice.other5xx} other 5xx, ` +
    `${twice.errors} errors or timeouts; ${int.format(twice.served)}/s served, their p99 ${ms(twice.okP99)}`)
}

function seedSize () {
  const from = (name: string, fallback: number) => process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name])
  return { fraudAddresses: from('BENCH_ROWS', 100_000), orders: from('BENCH_ORDERS', 100_000) }
}

const scenario: Scenario = {
  name: 'overload',
  description: 'POST /v1/orders/score past its capacity with load shedding on (defaults): where 503 starts, and twice that',
  // The production defaults for shedding; the rate limit stays off (one key would hit it first).
  serverEnv: { SHINSA_MAX_EVENT_LOOP_DELAY_MS: String(defaults.maxEventLoopDelayMs), SHINSA_MAX_DB_WAITING: String(defaults.maxDbWaiting) },
  // A smaller seed than the score scenario's (BENCH_ROWS, BENCH_ORDERS): the figures here are relative to capacity.
  setup: async (ctx) => [await prepareScoring(ctx, { memory: false, size: seedSize() })],
  finish,
}

export default scenario
