// The backtest worker: claims backtests from PostgreSQL (several instances are safe), walks the
// period's orders in keyset pages and decides each again from its stored features (or reads its
// stored shadow outcome), saving the cursor and the sums after every page — a walk cut short by a
// restart resumes after its last saved page, counting no order twice. Memory stays flat: one page
// and the sums (whose list of changed orders is capped) at a time.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import { pollLoop } from './poll-loop.js'
import type { DB } from '../db/types.js'
import {
  claimBacktest, countOrders, finishBacktest, orderPage, releaseBacktests, saveProgress,
  type BacktestCursor, type BacktestRow, type OrderForBacktest,
} from '../db/backtests.js'
import { findRulesetBody } from '../db/rule-counts.js'
import { addOrder, emptySums, finishReport, skipOrder, type BacktestSums } from '../domain/rules/backtest-report.js'
import { compileRuleset } from '../domain/rules/cel.js'
import type { MerchantVersion } from '../domain/rules/decide.js'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import type { Recommendation } from '../domain/scoring/score.js'
import { decidePage } from './backtest-thread.js'
import { startDecideThreads, type DecideThreads } from './backtest-threads.js'
import { isDatabaseUnavailable } from '../plugins/problem.js'

export type BacktestWorkerOptions = {
  leaseMs?: number
  pollMs?: number
  /** Orders per page: each page's progress is one write. */
  pageSize?: number
  /** false: no polling loop, work only through runOnce (tests and the bench drive it by hand). */
  loop?: boolean
  /** Threads deciding the pages (0: on the main thread, blocking the event loop a page at a time). */
  threads?: number
  /** Called after each page's progress is saved (tests look at progress mid-run). */
  onPage?: (p: { merchantId: string; id: string; done: number; total: number }) => Promise<void> | void
}

export type BacktestWorker = {
  /** Look for work now (a backtest was just queued) instead of at the next poll. */
  kick: () => void
  /** Claims and finishes one backtest; false when there was none. */
  runOnce: () => Promise<boolean>
  stop: () => Promise<void>
}

/** A backtest that cannot run (its version is gone, its body no longer compiles): failed at once. */
class Unrunnable extends Error {}

type Candidate = { version: number; body: RulesetBody; compiled: MerchantVersion }

async function candidateOf (db: Kysely<DB>, b: BacktestRow): Promise<Candidate | null> {
  if (b.version === null && b.ruleset === null) return null
  const body = b.ruleset ?? await findRulesetBody(db, b.merchant_id, b.version!)
  if (body === undefined) throw new Unrunnable(`ruleset version ${b.version} no longer exists`)
  const compiled = compileRuleset(body)
  if (!compiled.ok) throw new Unrunnable(`the ruleset does not compile: ${compiled.errors.map((e) => e.reason).join('; ')}`)
  const version = b.version ?? 0
  return { version, body, compiled: { version, compiled: compiled.ruleset } }
}

/** Adds one page to the sums: each order with what the candidate (or its shadow) recommends, null: skipped. */
export function addPage (sums: BacktestSums, rows: readonly OrderForBacktest[], to: ReadonlyArray<Recommendation | null>): void {
  rows.forEach((o, i) => {
    const rec = to[i] ?? null
    if (rec === null) { skipOrder(sums); return }
    addOrder(sums, { orderId: o.order_id, orderedAt: o.ordered_at, amount: o.amount, decided: o.recommendation, candidate: rec, label: o.outcome })
  })
}

async function recommendationsOf (rows: readonly OrderForBacktest[], candidate: Candidate | null, threads: DecideThreads | null) {
  if (candidate === null) return rows.map((o) => o.shadow_recommendation)
  const features = rows.map((o) => o.features)
  const thresholds = rows.map((o) => o.thresholds)
  return threads === null ? decidePage(candidate.compiled, features, thresholds) : threads.decide(features, thresholds)
}

export function startBacktestWorker (db: Kysely<DB>, log: FastifyBaseLogger, opts: BacktestWorkerOptions = {}): BacktestWorker {
  const owner = randomUUID()
  const leaseMs = opts.leaseMs ?? 60_000
  const pollMs = opts.pollMs ?? 1000
  const pageSize = opts.pageSize ?? 5000
  const threadCount = opts.threads ?? 1
  let running = true
  const failures = new Map<string, number>()
  const MAX_FAILURES = 3

  // One round at a time: a claim takes back this worker's own leases, so a second round beside
  // one in flight would walk the same backtest twice.
  let round: Promise<boolean> | undefined
  const runOnce = (): Promise<boolean> => (round ??= runRound().finally(() => { round = undefined }))

  async function runRound (): Promise<boolean> {
    const claimed = await claimBacktest(db, owner, leaseMs)
    if (claimed === undefined) return false
    const { merchant_id: merchantId, id } = claimed
    try {
      await walk(claimed)
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err
      const tries = err instanceof Unrunnable ? MAX_FAILURES : (failures.get(id) ?? 0) + 1
      failures.set(id, tries)
      log.error({ err, backtestId: id, tries }, 'backtest failed')
      if (tries >= MAX_FAILURES) {
        failures.delete(id)
        const error = err instanceof Unrunnable ? err.message : `evaluation failed ${tries} times; quote the backtest id to support`
        await finishBacktest(db, merchantId, id, owner, { status: 'failed', error })
      } else {
        await releaseBacktests(db, owner)
      }
    }
    return true
  }

  async function walk (b: BacktestRow): Promise<void> {
    const candidate = await candidateOf(db, b)
    const threads = candidate === null || threadCount === 0 ? null : startDecideThreads(threadCount, candidate)
    try {
      await walkPages(b, candidate, threads)
    } finally {
      await threads?.close()
    }
  }

  async function walkPages (b: BacktestRow, candidate: Candidate | null, threads: DecideThreads | null): Promise<void> {
    const started = Date.now()
    const period = { from: b.from_at, to: b.to_at }
    const mode = candidate === null ? 'shadow' : 'evaluate'
    const total = b.total ?? await countOrders(db, b.merchant_id, period.from, period.to)
    const sums = b.partial ?? emptySums()
    let cursor: BacktestCursor | null = b.cursor
    let done = b.done
    const fetch = (after: BacktestCursor | null) => {
      const page = orderPage(db, b.merchant_id, period, after, pageSize, mode)
      page.catch(() => {}) // awaited below; a walk that ends early must not leave it unhandled
      return page
    }
    // The next page is read while this one is decided and saved: the database and the deciding overlap.
    let next = fetch(cursor)
    for (;;) {
      const rows = await next
      if (rows.length === 0) break
      const last = rows[rows.length - 1]!
      cursor = { orderedAt: last.at, orderId: last.order_id }
      next = rows.length < pageSize ? Promise.resolve([]) : fetch(cursor)
      addPage(sums, rows, await recommendationsOf(rows, candidate, threads))
      done += rows.length
      if (!await saveProgress(db, b.merchant_id, b.id, owner, leaseMs, { total, done, cursor, partial: sums })) {
        log.warn({ backtestId: b.id }, 'backtest lease lost to another worker')
        return
      }
      await opts.onPage?.({ merchantId: b.merchant_id, id: b.id, done, total })
      if (!running) return // shutting down: the lease lapses or is released, and the walk resumes elsewhere
    }
    await finishBacktest(db, b.merchant_id, b.id, owner, { status: 'done', result: finishReport(sums), done })
    log.info({ backtestId: b.id, merchantId: b.merchant_id, orders: done, ms: Date.now() - started }, 'backtest done')
  }

  const poll = pollLoop(runOnce, { running: () => running, pollMs, log, failure: 'backtest worker failed; retrying', enabled: opts.loop !== false })

  return {
    kick: poll.kick,
    runOnce,
    stop: async () => {
      running = false
      await poll.stop()
      await round?.catch(() => {})
      await releaseBacktests(db, owner).catch((err: unknown) => log.warn({ err }, 'could not release backtests'))
    },
  }
}
