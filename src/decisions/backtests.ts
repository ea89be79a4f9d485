// Backtests: a version (draft or published), an unsaved ruleset, or the stored shadow outcomes,
// measured over a period's orders. Creating one checks what it names and queues it; the worker
// (jobs/backtests.ts) walks the orders.
import { findBacktest, insertBacktest, type BacktestRow } from '../db/backtests.js'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import { AppError } from '../errors.js'
import { MAX_PERIOD_DAYS, type Backtest } from '../schemas/backtest.js'
import type { DecisionDeps } from './deps.js'
import { compileOrRefuse } from './ruleset-problem.js'

const DAY_MS = 86_400_000

export type BacktestInput = ({ version: number } | { ruleset: RulesetBody } | { shadow: true }) & { from: string; to: string }

function periodOf (input: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(input.from)
  const to = new Date(input.to)
  const refuse = (message: string) => new AppError('VALIDATION_FAILED', `body.to ${message}`, { errors: [{ path: 'body.to', message }] })
  if (to.getTime() <= from.getTime()) throw refuse('must be after from')
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) throw refuse(`must be at most ${MAX_PERIOD_DAYS} days after from`)
  return { from, to }
}

export async function createBacktest (deps: DecisionDeps, merchantId: string, keyId: string | null, input: BacktestInput): Promise<Backtest> {
  const { from, to } = periodOf(input)
  let version: number | null = null
  let ruleset: RulesetBody | null = null
  if ('version' in input) {
    if (await deps.rules.find(merchantId, input.version) === null) throw new AppError('NOT_FOUND', `No ruleset version ${input.version}`)
    version = input.version
  } else if ('ruleset' in input) {
    compileOrRefuse(input.ruleset, 'body.ruleset')
    ruleset = input.ruleset
  }
  return toBacktest(await insertBacktest(deps.db, { merchantId, version, ruleset, from, to, createdBy: keyId }))
}

export async function getBacktest (deps: DecisionDeps, merchantId: string, id: string): Promise<Backtest> {
  const row = await findBacktest(deps.db, merchantId, id)
  if (row === undefined) throw new AppError('NOT_FOUND', `No backtest ${id}`)
  return toBacktest(row)
}

export function toBacktest (b: BacktestRow): Backtest {
  return {
    id: b.id,
    version: b.version,
    shadow: b.version === null && b.ruleset === null,
    from: b.from_at.toISOString(),
    to: b.to_at.toISOString(),
    status: b.status,
    progress: { done: b.done, total: b.total },
    createdAt: b.created_at.toISOString(),
    startedAt: b.started_at?.toISOString() ?? null,
    finishedAt: b.finished_at?.toISOString() ?? null,
    error: b.error,
    result: b.result,
  }
}
