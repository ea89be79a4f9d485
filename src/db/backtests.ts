// Repository for backtests: created queued, claimed by a worker with a lease (FOR UPDATE SKIP
// LOCKED; a lapsed lease is claimed again), progress saved a page at a time with the cursor and
// the sums, so a walk cut short resumes where its last page ended.
import { sql, type Kysely } from 'kysely'
import type { BacktestResult, BacktestSums } from '../domain/rules/backtest-report.js'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import type { Thresholds } from '../domain/scoring/score.js'
import type { DB, FeedbackType, Recommendation } from './types.js'

export type BacktestCursor = { orderedAt: string; orderId: string }

export type BacktestRow = {
  merchant_id: string
  id: string
  version: number | null
  ruleset: RulesetBody | null
  from_at: Date
  to_at: Date
  status: 'queued' | 'running' | 'done' | 'failed'
  total: number | null
  done: number
  cursor: BacktestCursor | null
  partial: BacktestSums | null
  result: BacktestResult | null
  error: string | null
  created_at: Date
  started_at: Date | null
  finished_at: Date | null
}

const COLUMNS = sql`merchant_id, id, version, ruleset, from_at, to_at, status, total, done, cursor, partial, result, error,
  created_at, started_at, finished_at`

export async function insertBacktest (
  db: Kysely<DB>, b: { merchantId: string; version: number | null; ruleset: RulesetBody | null; from: Date; to: Date; createdBy: string | null }
): Promise<BacktestRow> {
  const { rows } = await sql<BacktestRow>`
    insert into backtests (merchant_id, version, ruleset, from_at, to_at, created_by)
    values (${b.merchantId}, ${b.version}, ${b.ruleset === null ? null : JSON.stringify(b.ruleset)}::jsonb, ${b.from}, ${b.to}, ${b.createdBy})
    returning ${COLUMNS}`.execute(db)
  return rows[0]!
}

export async function findBacktest (db: Kysely<DB>, merchantId: string, id: string): Promise<BacktestRow | undefined> {
  const { rows } = await sql<BacktestRow>`select ${COLUMNS} from backtests where merchant_id = ${merchantId} and id = ${id}`.execute(db)
  return rows[0]
}

/**
 * Claims the oldest queued backtest, or a running one whose lease lapsed, or one this owner still
 * holds (the database cut its round short): it resumes from its saved cursor.
 */
export async function claimBacktest (db: Kysely<DB>, owner: string, leaseMs: number): Promise<BacktestRow | undefined> {
  const { rows } = await sql<BacktestRow>`
    update backtests b set
      status = 'running', lease_owner = ${owner},
      leased_until = now() + ${leaseMs} * interval '1 millisecond',
      started_at = coalesce(b.started_at, now())
    where (b.merchant_id, b.id) = (
      select merchant_id, id from backtests
      where status = 'queued' or (status = 'running' and (leased_until < now() or lease_owner = ${owner}))
      order by created_at
      for update skip locked
      limit 1)
    returning ${COLUMNS}`.execute(db)
  return rows[0]
}

export async function countOrders (db: Kysely<DB>, merchantId: string, from: Date, to: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from orders
    where merchant_id = ${merchantId} and ordered_at >= ${from} and ordered_at < ${to}`.execute(db)
  return rows[0]!.n
}

export type OrderForBacktest = {
  order_id: string
  ordered_at: string
  /** The cursor: ordered_at to the microsecond, so keyset paging never skips or repeats. */
  at: string
  amount: number
  recommendation: Recommendation
  outcome: FeedbackType | null
  /** The stored features as JSON text: parsed where they are decided (a backtest thread). */
  features: string | null
  /** The thresholds it was decided with (null: scored before decisions were recorded). */
  thresholds: Thresholds | null
  shadow_recommendation: Recommendation | null
}

/**
 * One page of the period's orders after the cursor, in (ordered_at, order_id) order. Only the
 * columns the report needs: features and the stored thresholds to decide again, or the shadow's
 * recommendation for a shadow comparison.
 */
export async function orderPage (
  db: Kysely<DB>, merchantId: string, period: { from: Date; to: Date }, after: BacktestCursor | null, limit: number, mode: 'evaluate' | 'shadow'
): Promise<OrderForBacktest[]> {
  const evidence = mode === 'evaluate'
    ? sql`features::text as features, trace->'thresholds' as thresholds, null::text as shadow_recommendation`
    : sql`null::text as features, null::jsonb as thresholds, shadow->>'recommendation' as shadow_recommendation`
  const keyset = after === null ? sql`` : sql`and (ordered_at, order_id) > (${after.orderedAt}::timestamptz, ${after.orderId})`
  const { rows } = await sql<OrderForBacktest>`
    select order_id,
      to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ordered_at,
      to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
      amount::float8 as amount, recommendation, outcome, ${evidence}
    from orders
    where merchant_id = ${merchantId} and ordered_at >= ${period.from} and ordered_at < ${period.to} ${keyset}
    -- Qualified: a bare ordered_at would name the to_char text above, which no index serves.
    order by orders.ordered_at, orders.order_id
    limit ${limit}`.execute(db)
  return rows
}

/**
 * Saves a page's progress (cursor, sums, orders done) and extends the lease, answering false when
 * the lease was lost (another worker took over): then nothing is saved.
 */
export async function saveProgress (
  db: Kysely<DB>, merchantId: string, id: string, owner: string, leaseMs: number,
  p: { total: number; done: number; cursor: BacktestCursor | null; partial: BacktestSums }
): Promise<boolean> {
  const res = await sql`update backtests set
      total = ${p.total}, done = ${p.done}, cursor = ${p.cursor === null ? null : JSON.stringify(p.cursor)}::jsonb,
      partial = ${JSON.stringify(p.partial)}::jsonb,
      leased_until = now() + ${leaseMs} * interval '1 millisecond'
    where merchant_id = ${merchantId} and id = ${id} and lease_owner = ${owner} and status = 'running'`.execute(db)
  return Number(res.numAffectedRows ?? 0n) > 0
}

export async function finishBacktest (
  db: Kysely<DB>, merchantId: string, id: string, owner: string,
  outcome: { status: 'done'; result: BacktestResult; done: number } | { status: 'failed'; error: string }
): Promise<void> {
  await sql`update backtests set
      status = ${outcome.status}, finished_at = now(), lease_owner = null, leased_until = null,
      result = ${outcome.status === 'done' ? JSON.stringify(outcome.result) : null}::jsonb,
      done = ${outcome.status === 'done' ? outcome.done : sql`done`},
      partial = null, error = ${outcome.status === 'failed' ? outcome.error : null}
    where merchant_id = ${merchantId} and id = ${id} and lease_owner = ${owner}`.execute(db)
}

/** Hands this owner's running backtests back to the queue (orderly shutdown). */
export async function releaseBacktests (db: Kysely<DB>, owner: string): Promise<void> {
  await sql`update backtests set status = 'queued', lease_owner = null, leased_until = null
    where lease_owner = ${owner} and status = 'running'`.execute(db)
}
