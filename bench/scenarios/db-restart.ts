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

  const ready: Array<{ at: number; status: number | 'error' }> = []
  let polling = true
  const poller = (async () => {
    while (polling) {
      try {
        const res = await request(`${ctx.baseUrl}/readyz`, { headersTimeout: 10_000 })
        await res.body.dump()
        ready.push({ at: at(), status: res.statusCode })
      } catch {
        ready.push({ at: at(), status: 'error' })
      }
      await sleep(50)
    }
  })()
  await sleep(BEFORE_MS)
  const restartAt = at()
  const { stdout, stderr } = await promisify(exec)(command)
  const restartedAt = at()
  if ((stdout + stderr).trim() !== '') console.log(`   ${(stdout + stderr).trim().replace(/\n/g, '\n   ')}`)
  // openLoad's clock starts a moment after t0: close enough at this scale (both within 1 ms).
  const outcomes = await load
  polling = false
  await poller

  const ms = (v: number | undefined) => v === undefined ? '—' : `${int.format(Math.round(v))} ms`
  const rel = (v: number | undefined) => v === undefined ? '—' : `${v >= restartAt ? '+' : ''}${int.format(Math.round(v - restartAt))} ms`
  outcomes.sort((a, b) => a.sentAt - b.sentAt)
  const failed = outcomes.filter((o) => o.status !== 200)
  const { byStatus } = tally(outcomes, RATE, BEFORE_MS + AFTER_MS)
  const firstFail = failed[0]
  const lastFail = failed.reduce<(typeof failed)[number] | undefined>((last, o) => last === undefined || o.doneAt > last.doneAt ? o : last, undefined)
  const firstOkAfter = outcomes.find((o) => o.status === 200 && o.sentAt >= restartedAt)
  const redAt = ready.find((r) => r.at >= restartAt && r.status !== 200)?.at
  const greenAt = ready.find((r) => r.at >= restartedAt && r.status === 200)?.at
  const slowest = outcomes.reduce((max, o) => Math.max(max, o.doneAt - o.sentAt), 0)
  const slowestFailure = failed.reduce((max, o) => Math.max(max, o.doneAt - o.sentAt), 0)
  const other5xx = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500 && o.status !== 503).length

  console.log(`   the restart command took ${ms(restartedAt - restartAt)} (from it starting to PostgreSQL accepting connections again)`)
  console.log(`   ${int.format(outcomes.length)} requests: ${[...byStatus].map(([k, v]) => `${k} ×${int.format(v)}`).join(', ')}`)
  console.log(`   first failure ${rel(firstFail?.sentAt)}, last failure ${rel(lastFail?.sentAt)} (sent at, relative to the restart's start)`)
  console.log(`   /readyz red at ${rel(redAt)}, green again at ${rel(greenAt)}`)
  console.log(`   slowest answer ${ms(slowest)}, slowest failure ${ms(slowestFailure)} (database timeout ${int.format(defaults.dbTimeoutMs)} ms)`)
  console.log('\nsummary')
  console.log(`   recovery: first 200 sent ${ms(firstOkAfter === undefined ? undefined : firstOkAfter.sentAt - restartedAt)} after PostgreSQL was back, ` +
    `readiness green ${ms(greenAt === undefined ? undefined : greenAt - restartedAt)} after; clients saw failures for ${ms(firstFail === undefined || lastFail === undefined ? undefined : lastFail.doneAt - firstFail.sentAt)}`)
  console.log(`   other 5xx: ${other5xx}; transport errors: ${outcomes.filter((o) => o.status === 'error').length}`)
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
