// The backtest worker: claims backtests from PostgreSQL (several instances are safe), walks the
// period's orders in keyset pages and decides each again from its stored features (or reads its
// stored shadow outcome), saving the cursor and the sums after every page — a walk cut short by a
// restart resumes after its last saved page, counting no order twice. Memory stays flat: one page
// and the sums (whose list of changed orders is capped) at a time.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { DB } from '../db/types.js'
import {
  claimBacktest, countOrders, finishBacktest, orderPage, releaseBacktests, saveProgress,
  type BacktestCursor, type BacktestRow, type OrderForBacktest,
} from '../db/backtests.js'
import { findRulesetBody } from '../db/rule-counts.js'
import { addOrder, emptySums, finishReport, skipOrder, type BacktestSums } from '../domain/rules/backtest-report.js'
import { compileRuleset } from '../domain/rules/cel.js'
import { decide, type MerchantVersion } from '../domain/rules/decide.js'
import { CURRENT_BUILTIN } from '../domain/scoring/ruleset.js'
import { isDatabaseUnavailable } from '../plugins/problem.js'

export type BacktestWorkerOptions = {
  leaseMs?: number
  pollMs?: number
  /** Orders per page: each page's progress is one write. */
  pageSize?: number
  /** false: no polling loop, work only through runOnce (tests and the bench drive it by hand). */
  loop?: boolean
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

async function candidateOf (db: Kysely<DB>, b: BacktestRow): Promise<MerchantVersion | null> {
  if (b.version === null && b.ruleset === null) return null
  const body = b.ruleset ?? await findRulesetBody(db, b.merchant_id, b.version!)
  if (body === undefined) throw new Unrunnable(`ruleset version ${b.version} no longer exists`)
  const compiled = compileRuleset(body)
  if (!compiled.ok) throw new Unrunnable(`the ruleset does not compile: ${compiled.errors.map((e) => e.reason).join('; ')}`)
  return { version: b.version ?? 0, compiled: compiled.ruleset }
}

/** Adds one page to the sums: decided again under the candidate, or compared with its shadow. */
export function addPage (sums: BacktestSums, rows: readonly OrderForBacktest[], candidate: MerchantVersion | null): void {
  for (const o of rows) {
    let to
    if (candidate === null) {
      to = o.shadow_recommendation
    } else if (o.features !== null && o.thresholds !== null) {
      to = decide(o.features, { builtin: CURRENT_BUILTIN, ruleset: candidate, thresholds: o.thresholds }).recommendation
    }
    if (to === null || to === undefined) { skipOrder(sums); continue }
    addOrder(sums, { orderId: o.order_id, orderedAt: o.ordered_at, amount: o.amount, decided: o.recommendation, candidate: to, label: o.outcome })
  }
}

export function startBacktestWorker (db: Kysely<DB>, log: FastifyBaseLogger, opts: BacktestWorkerOptions = {}): BacktestWorker {
  const owner = randomUUID()
  const leaseMs = opts.leaseMs ?? 60_000
  const pollMs = opts.pollMs ?? 1000
  const pageSize = opts.pageSize ?? 5000
  let running = true
  let wake: (() => void) | undefined
  let kicked = false
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
    const started = Date.now()
    const candidate = await candidateOf(db, b)
    const period = { from: b.from_at, to: b.to_at }
    const total = b.total ?? await countOrders(db, b.merchant_id, period.from, period.to)
    const sums = b.partial ?? emptySums()
    let cursor: BacktestCursor | null = b.cursor
    let done = b.done
    for (;;) {
      const rows = await orderPage(db, b.merchant_id, period, cursor, pageSize, candidate === null ? 'shadow' : 'evaluate')
      if (rows.length === 0) break
      addPage(sums, rows, candidate)
      const last = rows[rows.length - 1]!
      cursor = { orderedAt: last.at, orderId: last.order_id }
      done += rows.length
      if (!await saveProgress(db, b.merchant_id, b.id, owner, leaseMs, { total, done, cursor, partial: sums })) {
        log.warn({ backtestId: b.id }, 'backtest lease lost to another worker')
        return
      }
      await opts.onPage?.({ merchantId: b.merchant_id, id: b.id, done, total })
      if (!running) return // shutting down: the lease lapses or is released, and the walk resumes elsewhere
      if (rows.length < pageSize) break
    }
    await finishBacktest(db, b.merchant_id, b.id, owner, { status: 'done', result: finishReport(sums), done })
    log.info({ backtestId: b.id, merchantId: b.merchant_id, orders: done, ms: Date.now() - started }, 'backtest done')
  }

  const loop = (async () => {
    while (running && opts.loop !== false) {
      let worked = false
      try {
        worked = await runOnce()
      } catch (err) {
        log.error({ err }, 'backtest worker failed; retrying')
      }
      if (worked || !running) continue
      if (kicked) { kicked = false; continue }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs)
        wake = () => { clearTimeout(timer); resolve() }
      })
      wake = undefined
    }
  })()

  return {
    kick: () => { kicked = true; wake?.() },
    runOnce,
    stop: async () => {
      running = false
      wake?.()
      await loop
      await round?.catch(() => {})
      await releaseBacktests(db, owner).catch((err: unknown) => log.warn({ err }, 'could not release backtests'))
    },
  }
}
