// Repository for address-match batches and their rows. Workers claim a batch with a lease
// (FOR UPDATE SKIP LOCKED): a batch whose worker died is claimed again once its lease lapses.
import { sql, type Kysely } from 'kysely'
import { endpointsForFanoutQuery } from './webhook-endpoints.js'
import { enqueueEvent, type Fanout } from './webhook-outbox.js'
import type { FanoutEndpoint } from '../domain/webhooks/fanout.js'
import type { DB, Judgments } from './types.js'
import type { BatchRow } from '../imports/batch-upload.js'

const BATCH_COLUMNS = [
  'merchant_id', 'id', 'status', 'source', 'encoding', 'total_rows', 'processed_rows', 'full_count', 'partial_count',
  'none_count', 'error_count', 'created_at', 'started_at', 'finished_at', 'lease_owner', 'lease_until', 'failure',
] as const

const INSERT_CHUNK = 1000

/** The batch and all its rows in one transaction: a batch is stored whole or not at all. */
export async function createBatch (
  db: Kysely<DB>,
  batch: { merchant_id: string; source: 'csv' | 'json'; encoding: string | null },
  rows: BatchRow[]
) {
  return db.transaction().execute(async (trx) => {
    const created = await trx.insertInto('address_match_batches')
      .values({ ...batch, total_rows: rows.length })
      .returning(BATCH_COLUMNS).executeTakeFirstOrThrow()
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx.insertInto('address_match_batch_rows').values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({
        merchant_id: batch.merchant_id, batch_id: created.id, line: r.line,
        order_id: r.orderId, email: r.email, prefecture: r.prefecture, city: r.city, town: r.town,
        block: r.block, room: r.room, building: r.building,
      }))).execute()
    }
    return created
  })
}

export async function findBatch (db: Kysely<DB>, merchantId: string, id: string) {
  return db.selectFrom('address_match_batches').select(BATCH_COLUMNS)
    .where('merchant_id', '=', merchantId).where('id', '=', id).executeTakeFirst()
}

/**
 * Claims the oldest queued batch, or a running one whose lease lapsed (its worker died), or one
 * this owner still holds: a worker claims only between batches, so that is a batch the database
 * cut short, and it resumes at once rather than when its lease lapses.
 */
export async function claimBatch (db: Kysely<DB>, owner: string, leaseMs: number) {
  const { rows } = await sql<{ merchant_id: string; id: string }>`
    update address_match_batches b set
      status = 'running', lease_owner = ${owner},
      lease_until = now() + ${leaseMs} * interval '1 millisecond',
      started_at = coalesce(b.started_at, now())
    where (b.merchant_id, b.id) = (
      select merchant_id, id from address_match_batches
      where status = 'queued' or (status = 'running' and (lease_until < now() or lease_owner = ${owner}))
      order by created_at
      for update skip locked
      limit 1)
    returning b.merchant_id, b.id`.execute(db)
  return rows[0]
}

export async function pendingRows (db: Kysely<DB>, merchantId: string, batchId: string, limit: number) {
  return db.selectFrom('address_match_batch_rows')
    .select(['line', 'order_id', 'email', 'prefecture', 'city', 'town', 'block', 'room', 'building'])
    .where('merchant_id', '=', merchantId).where('batch_id', '=', batchId)
    .where('result', 'is', null).where('error_field', 'is', null)
    .orderBy('line').limit(limit).execute()
}

export type RowOutcome =
  | { line: number; result: 'full' | 'partial' | 'none'; count: number; judgments: Judgments }
  | { line: number; errorField: string; errorReason: string }

/**
 * Saves a page of outcomes and adds them to the batch's counts in one transaction, extending
 * the lease. Answers false when the lease was lost (another worker took over): nothing is saved.
 */
export async function saveOutcomes (
  db: Kysely<DB>, merchantId: string, batchId: string, owner: string, leaseMs: number, outcomes: RowOutcome[]
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const held = await sql`
      update address_match_batches set
        lease_until = now() + ${leaseMs} * interval '1 millisecond',
        processed_rows = processed_rows + ${outcomes.length},
        full_count = full_count + ${outcomes.filter((o) => 'result' in o && o.result === 'full').length},
        partial_count = partial_count + ${outcomes.filter((o) => 'result' in o && o.result === 'partial').length},
        none_count = none_count + ${outcomes.filter((o) => 'result' in o && o.result === 'none').length},
        error_count = error_count + ${outcomes.filter((o) => 'errorField' in o).length}
      where merchant_id = ${merchantId} and id = ${batchId} and lease_owner = ${owner} and status = 'running'`.execute(trx)
    if (Number(held.numAffectedRows ?? 0n) === 0) return false
    const pick = <T>(f: (o: RowOutcome) => T) => outcomes.map(f)
    await sql`
      update address_match_batch_rows r set
        result = v.result, count = v.count, judgments = v.judgments::jsonb,
        error_field = v.error_field, error_reason = v.error_reason
      from unnest(
        ${pick((o) => o.line)}::int[], ${pick((o) => ('result' in o ? o.result : null))}::text[],
        ${pick((o) => ('result' in o ? o.count : null))}::int[], ${pick((o) => ('result' in o ? JSON.stringify(o.judgments) : null))}::text[],
        ${pick((o) => ('errorField' in o ? o.errorField : null))}::text[], ${pick((o) => ('errorField' in o ? o.errorReason : null))}::text[]
      ) as v(line, result, count, judgments, error_field, error_reason)
      where r.merchant_id = ${merchantId} and r.batch_id = ${batchId} and r.line = v.line`.execute(trx)
    return true
  })
}

/**
 * Marks the batch done or failed and, in the same transaction, enqueues batch.completed for the
 * endpoints `notify` picks from the finished batch.
 */
export async function finishBatch (
  db: Kysely<DB>, merchantId: string, batchId: string, owner: string, outcome: { status: 'done' | 'failed'; failure?: string },
  notify: (batch: FinishedBatch, endpoints: FanoutEndpoint[]) => Fanout | null = () => null
) {
  await db.transaction().execute(async (trx) => {
    const batch = await trx.updateTable('address_match_batches')
      .set({ status: outcome.status, failure: outcome.failure ?? null, finished_at: sql`now()` as any, lease_owner: null, lease_until: null })
      .where('merchant_id', '=', merchantId).where('id', '=', batchId).where('lease_owner', '=', owner)
      .returning(BATCH_COLUMNS).executeTakeFirst()
    if (batch === undefined) return
    await enqueueEvent(trx, merchantId, notify(batch, await endpointsForFanoutQuery(trx, merchantId).execute()))
  })
}

export type FinishedBatch = NonNullable<Awaited<ReturnType<typeof findBatch>>>

/** Hands a claimed batch back to the queue (orderly shutdown): another worker resumes it at once. */
export async function releaseBatches (db: Kysely<DB>, owner: string): Promise<void> {
  await db.updateTable('address_match_batches')
    .set({ status: 'queued', lease_owner: null, lease_until: null })
    .where('lease_owner', '=', owner).where('status', '=', 'running')
    .execute()
}

export async function resultRows (db: Kysely<DB>, merchantId: string, batchId: string, page: { afterLine: number; limit: number }) {
  return db.selectFrom('address_match_batch_rows')
    .select(['line', 'order_id', 'email', 'prefecture', 'city', 'town', 'block', 'room', 'building',
      'result', 'count', 'judgments', 'error_field', 'error_reason'])
    .where('merchant_id', '=', merchantId).where('batch_id', '=', batchId).where('line', '>', page.afterLine)
    .orderBy('line').limit(page.limit).execute()
}
