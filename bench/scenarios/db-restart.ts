// DB restart: the PostgreSQL server itself is restarted (BENCH_PG_RESTART, a shell command) while
// POST /v1/orders/score runs at a steady rate. Every request is timed on its own: what the
// clients saw during the restart (503 DATABASE_UNAVAILABLE, never another 5xx, never a hang),
// /readyz going red and green, and how long after the server accepts connections again the
// service answers 200 by itself. It restarts the whole server: every other database on it too.
//
//   BENCH_PG_RESTART='pg_ctlcluster --skip-systemctl-redirect 15 main restart' \
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- db-restart
import { exec } from 'node:child_process'
import { promisify } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { request } from 'undici'
import { loadConfig } from '../../src/config.js'
import { openLoad, tally } from '../lib/open-load.js'
import type { BenchContext, RunResults, Scenario } from '../lib/scenario.js'
import { int } from './address/summary.js'
import { prepareScoring } from './score.js'

// The server's shedding settings: its defaults, or these variables when set (to compare settings).
const defaults = loadConfig({ SHINSA_MAX_DB_WAITING: process.env.SHINSA_MAX_DB_WAITING, SHINSA_MAX_EVENT_LOOP_DELAY_MS: process.env.SHINSA_MAX_EVENT_LOOP_DELAY_MS })
const RATE = Number(process.env.BENCH_RESTART_RATE ?? 50)
const BEFORE_MS = 5000
const AFTER_MS = 10_000

function restartCommand (): string {
  const command = process.env.BENCH_PG_RESTART
  if (command === undefined || command === '') {
    throw new Error('db-restart restarts the PostgreSQL server: give the command in BENCH_PG_RESTART ' +
      "(here: BENCH_PG_RESTART='pg_ctlcluster --skip-systemctl-redirect 15 main restart')")
  }
  return command
}

async function finish (ctx: BenchContext, results: RunResults): Promise<void> {
  const route = results.routes[0]?.route
  if (route?.makeBody === undefined) throw new Error('the score route was not prepared')
  const command = restartCommand()
  const target = { origin: ctx.baseUrl, path: route.path, method: 'POST', body: route.makeBody, headers: { ...route.headers, 'content-type': 'application/json' } }
  console.log(`\ndb-restart: ${RATE} scoring requests a second, arriving whether or not answered; at +${BEFORE_MS / 1000} s: ${command}`)
  const t0 = performance.now()
  const at = () => performance.now() - t0
  const load = openLoad(target, { rate: RATE, durationMs: BEFORE_MS + AFTER_MS, timeoutMs: 30_000 })

  // /readyz as the service sees itself, and PostgreSQL as a fresh connection sees it: when the
  // server stopped and when it accepted connections again (pg_ctl's own wait returns later).
  const url = ctx.database.kind === 'postgres' ? ctx.database.url : ''
  const ready: Array<{ at: number; ok: boolean }> = []
  const server: Array<{ at: number; ok: boolean }> = []
  let polling = true
  const poll = async (into: typeof ready, probe: () => Promise<boolean>) => {
    while (polling) {
      const startedAt = at()
      into.push({ at: startedAt, ok: await probe().catch(() => false) })
      await sleep(Math.max(0, 50 - (at() - startedAt)))
    }
  }
  const pollers = Promise.all([
    poll(ready, async () => {
      const res = await request(`${ctx.baseUrl}/readyz`, { headersTimeout: 10_000 })
      await res.body.dump()
      return res.statusCode === 200
    }),
    poll(server, async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
      client.on('error', () => {})
      try {
        await client.connect()
        await client.query('select 1')
        return true
      } finally {
        await client.end().catch(() => {})
      }
    }),
  ])
  await sleep(BEFORE_MS)
  const restartAt = at()
  let output: { stdout: string; stderr: string }
  try {
    output = await promisify(exec)(command)
  } catch (err) {
    // A failed command must not leave the pollers running for ever.
    polling = false
    await Promise.allSettled([load, pollers])
    throw err
  }
  const { stdout, stderr } = output
  const commandDoneAt = at()
  if ((stdout + stderr).trim() !== '') console.log(`   ${(stdout + stderr).trim().replace(/\n/g, '\n   ')}`)
  // openLoad's clock starts a moment after t0: close enough at this scale (both within 1 ms).
  const outcomes = await load
  polling = false
  await pollers

  const ms = (v: number | undefined) => v === undefined ? '—' : `${int.format(Math.round(v))} ms`
  const rel = (v: number | undefined) => v === undefined ? '—' : `${v >= restartAt ? '+' : ''}${int.format(Math.round(v - restartAt))} ms`
  /** The first sample at or after `from` that is down, and the first up again after it. */
  const outage = (samples: typeof ready, from: number) => {
    const down = samples.find((s) => s.at >= from && !s.ok)
    const up = down === undefined ? undefined : samples.find((s) => s.at > down.at && s.ok)
    return { down: down?.at, up: up?.at }
  }
  outcomes.sort((a, b) => a.sentAt - b.sentAt)
  const failed = outcomes.filter((o) => o.status !== 200)
  const { byStatus } = tally(outcomes, RATE, BEFORE_MS + AFTER_MS)
  const firstFail = failed[0]
  const lastFail = failed.reduce<(typeof failed)[number] | undefined>((last, o) => last === undefined || o.doneAt > last.doneAt ? o : last, undefined)
  const pgOut = outage(server, restartAt)
  const readyOut = outage(ready, restartAt)
  // Back means the first probe that connected after the server went down (or the command's end).
  const backAt = pgOut.up ?? commandDoneAt
  const firstOkAfter = outcomes.find((o) => o.status === 200 && o.sentAt >= backAt)
  const slowest = outcomes.reduce((max, o) => Math.max(max, o.doneAt - o.sentAt), 0)
  const slowestFailure = failed.reduce((max, o) => Math.max(max, o.doneAt - o.sentAt), 0)
  const other5xx = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500 && o.status !== 503).length

  console.log(`   the restart command took ${ms(commandDoneAt - restartAt)}; PostgreSQL refused connections from ${rel(pgOut.down)} to ${rel(pgOut.up)} (a fresh connection every 50 ms)`)
  console.log(`   ${int.format(outcomes.length)} requests: ${[...byStatus].map(([k, v]) => `${k} ×${int.format(v)}`).join(', ')}`)
  console.log(`   first failure sent ${rel(firstFail?.sentAt)}, last failure answered ${rel(lastFail?.doneAt)} (relative to the restart's start)`)
  console.log(`   /readyz red at ${rel(readyOut.down)}, green again at ${rel(readyOut.up)}`)
  console.log(`   slowest answer ${ms(slowest)}, slowest failure ${ms(slowestFailure)} (database timeout ${int.format(defaults.dbTimeoutMs)} ms)`)
  console.log('\nsummary')
  console.log(`   recovery: first 200 sent ${ms(firstOkAfter === undefined ? undefined : firstOkAfter.sentAt - backAt)} after PostgreSQL accepted connections again, ` +
    `readiness green ${ms(readyOut.up === undefined ? undefined : readyOut.up - backAt)} after; ` +
    `last failure answered ${ms(lastFail === undefined ? undefined : lastFail.doneAt - backAt)} after`)
  console.log(`   clients saw failures for ${ms(firstFail === undefined || lastFail === undefined ? undefined : lastFail.doneAt - firstFail.sentAt)} ` +
    `of an outage of ${ms(pgOut.down === undefined || pgOut.up === undefined ? undefined : pgOut.up - pgOut.down)}; other 5xx: ${other5xx}; transport errors: ${outcomes.filter((o) => o.status === 'error').length}`)
}

const scenario: Scenario = {
  name: 'db-restart',
  description: 'POST /v1/orders/score at a steady rate while the PostgreSQL server restarts: what clients see, and the recovery time',
  serverEnv: { SHINSA_MAX_EVENT_LOOP_DELAY_MS: String(defaults.maxEventLoopDelayMs), SHINSA_MAX_DB_WAITING: String(defaults.maxDbWaiting) },
  setup: async (ctx) => {
    if (ctx.database.kind !== 'postgres') throw new Error('db-restart needs PostgreSQL (DATABASE_URL)')
    restartCommand()
    const size = { fraudAddresses: 20_000, orders: 20_000 }
    return [await prepareScoring(ctx, { memory: false, size })]
  },
  finish,
}

export default scenario
