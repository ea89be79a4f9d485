// Auth flood: a real caller matching addresses at a modest fixed rate (open loop), alone, then
// while 3,000 made-up API keys hit the service as fast as 50 connections go — first all from one
// address (127.0.0.2), then spread over 100 (127.0.0.2 – 127.0.0.101; the caller is 127.0.0.1).
// The server runs the production limits (per key, and per address for failed authentication).
// Prints the caller's p50/p99 and throughput in each phase with the ratio to the run alone, what
// the flood got back, and the server's RSS. Bounded: BENCH_DURATION seconds a phase, ≤ 200,000
// flood requests a phase; only 127.0.0.0/8.
import { randomBytes } from 'node:crypto'
import { Pool } from 'undici'
import { loadConfig } from '../../src/config.js'
import { openLoad, tally, type Tally } from '../lib/open-load.js'
import { rssMb } from '../lib/proc.js'
import type { BenchContext, RunResults, Scenario } from '../lib/scenario.js'
import { int } from './address/summary.js'

const defaults = loadConfig({})
const KEYS = 3_000
const CALLER_RATE = Number(process.env.BENCH_CALLER_RATE ?? 50)
const FLOOD_CONNECTIONS = 50
const MAX_FLOOD = 200_000
const MATCH = { orderId: 'FLOOD-CALLER', email: 'buyer@example.jp', address: { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3' } }

type Flood = { sent: number; byStatus: Map<string, number>; perSec: number }

/** Sends the made-up keys in turn from `addresses` until `stop` or MAX_FLOOD, 50 connections in all. */
async function flood (baseUrl: string, path: string, addresses: string[], durationMs: number): Promise<Flood> {
  const keys = Array.from({ length: KEYS }, () => `shinsa_${randomBytes(32).toString('base64url')}`)
  const perAddress = Math.max(1, Math.floor(FLOOD_CONNECTIONS / addresses.length))
  const pools = addresses.map((localAddress) => new Pool(baseUrl, { connections: perAddress, localAddress }))
  const byStatus = new Map<string, number>()
  let next = 0
  const t0 = performance.now()
  const worker = async (slot: number) => {
    const pool = pools[slot % pools.length]!
    while (performance.now() - t0 < durationMs && next < MAX_FLOOD) {
      // Each address sends its own share of the keys: keys i ≡ address (mod addresses).
      const n = next++
      const key = keys[(n * addresses.length + (slot % addresses.length)) % KEYS]!
      try {
        const res = await pool.request({ method: 'POST', path, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(MATCH) })
        await res.body.dump()
        byStatus.set(String(res.statusCode), (byStatus.get(String(res.statusCode)) ?? 0) + 1)
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'error'
        byStatus.set(code, (byStatus.get(code) ?? 0) + 1)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(FLOOD_CONNECTIONS, addresses.length) }, (_, i) => worker(i)))
  const elapsed = performance.now() - t0
  await Promise.all(pools.map((p) => p.close()))
  const sent = [...byStatus.values()].reduce((a, b) => a + b, 0)
  return { sent, byStatus, perSec: sent * 1000 / elapsed }
}

const ms = (v: number) => Number.isNaN(v) ? '—' : `${v.toFixed(1)} ms`

function line (label: string, s: Tally, base: Tally | undefined): string {
  const ratio = (a: number, b: number | undefined) => b === undefined || b === 0 || Number.isNaN(a) ? '' : ` (×${(a / b).toFixed(2)})`
  return `   ${label.padEnd(28)} served ${int.format(s.served)}/s of ${int.format(s.offered)}/s${ratio(s.served, base?.served)}, ` +
    `p50 ${ms(s.okP50)}${ratio(s.okP50, base?.okP50)}, p99 ${ms(s.okP99)}${ratio(s.okP99, base?.okP99)}, non-2xx ${s.sent - [...s.byStatus].filter(([k]) => k.startsWith('2')).reduce((a, [, n]) => a + n, 0)}, errors ${s.errors}`
}

async function finish (ctx: BenchContext, results: RunResults): Promise<void> {
  const route = results.routes[0]?.route
  if (route === undefined) throw new Error('the match route was not measured')
  const durationMs = results.load.duration * 1000
  const target = { origin: ctx.baseUrl, path: route.path, method: 'POST', headers: { ...route.headers, 'content-type': 'application/json' }, body: () => JSON.stringify(MATCH) }
  const caller = async () => tally(await openLoad(target, { rate: CALLER_RATE, durationMs, connections: 20 }), CALLER_RATE, durationMs)
  console.log(`\nauth-flood: a real caller (127.0.0.1) at ${CALLER_RATE} req/s for ${results.load.duration} s per phase; flood: ${int.format(KEYS)} made-up keys, ` +
    `${FLOOD_CONNECTIONS} connections; server limits: ${int.format(defaults.unauthRateLimitPerMinute)} failed requests a minute per address, ` +
    `${int.format(defaults.rateLimitPerMinute)} a minute per key, unknown keys remembered ${defaults.authMissCacheMs / 1000} s, ` +
    `a failed authentication answered after ${defaults.failedAuthDelayMs} ms`)
  const rssBefore = await rssMb(ctx.serverPid)
  const base = await caller()
  console.log(line('alone', base, undefined))
  const phases: Array<{ label: string; addresses: string[] }> = [
    { label: 'flood from 1 address', addresses: ['127.0.0.2'] },
    { label: 'flood from 100 addresses', addresses: Array.from({ length: 100 }, (_, i) => `127.0.0.${i + 2}`) },
  ]
  for (const phase of phases) {
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const [s, f] = await Promise.all([caller(), flood(ctx.baseUrl, route.path, phase.addresses, durationMs)])
    console.log(line(`with ${phase.label}`, s, base))
    console.log(`      the flood: ${int.format(f.sent)} requests, ${int.format(f.perSec)}/s: ${[...f.byStatus].map(([k, n]) => `${k} ×${int.format(n)}`).join(', ')}; ` +
      `server RSS ${(await rssMb(ctx.serverPid))?.toFixed(0) ?? "?"} MB`)
  }
  console.log(`   server RSS ${rssBefore?.toFixed(0) ?? '?'} MB before the phases, ${(await rssMb(ctx.serverPid))?.toFixed(0) ?? '?'} MB after`)
}

const scenario: Scenario = {
  name: 'auth-flood',
  description: 'a real caller matching addresses at a fixed rate, alone and under a flood of 3,000 made-up API keys (1 and 100 source addresses)',
  // The production limits: per key, and per address for failed authentication.
  serverEnv: {
    SHINSA_RATE_LIMIT_PER_MINUTE: String(defaults.rateLimitPerMinute),
    SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE: String(defaults.unauthRateLimitPerMinute),
  },
  setup: async (ctx) => [{
    title: 'POST /v1/address-matches (one address, empty store)',
    method: 'POST',
    path: '/v1/address-matches',
    headers: { authorization: `Bearer ${ctx.apiKey}` },
    body: MATCH,
  }],
  finish,
}

export default scenario
