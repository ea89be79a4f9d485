// Repository for the retention purge: deletes one bounded batch of a merchant's rows older than
// a cutoff, by primary key, so each statement is short and holds few row locks.
import { sql, type Kysely } from 'kysely'
import type { DB } from './types.js'

/** The tables the purge empties, each with the key its batches are deleted by. */
export const PURGED = {
  orders: 'order_id',
  shipment_checks: 'id',
  address_matches: 'id',
  webhook_events: 'id',
} as const

export type PurgedTable = keyof typeof PURGED | 'address_match_batch_rows' | 'address_match_batches'

// One purge at a time across instances: a transaction-level advisory lock around each batch.
const LOCK_KEY = sql`hashtext('shinsa.retention-purge')`

export type MerchantRetention = { id: string; retention_days: number }

/** Merchants in id order, a page at a time. */
export async function merchantRetentions (db: Kysely<DB>, after: string | undefined, limit: number): Promise<MerchantRetention[]> {
  let q = db.selectFrom('merchants').select(['id', 'retention_days']).orderBy('id').limit(limit)
  if (after !== undefined) q = q.where('id', '>', after)
  return q.execute()
}

function batchStatement (table: PurgedTable, merchantId: string, cutoff: Date, limit: number) {
  if (table === 'address_match_batch_rows') {
    // Rows of finished batches created before the cutoff; the batch row goes once it is empty.
    return sql`delete from address_match_batch_rows where merchant_id = ${merchantId} and (batch_id, line) in (
      select r.batch_id, r.line from address_match_batch_rows r
      join address_match_batches b on b.merchant_id = r.merchant_id and b.id = r.batch_id
      where r.merchant_id = ${merchantId} and b.created_at < ${cutoff} and b.status in ('done', 'failed')
      limit ${limit})`
  }
  if (table === 'address_match_batches') {
    return sql`delete from address_match_batches where merchant_id = ${merchantId} and id in (
      select b.id from address_match_batches b
      where b.merchant_id = ${merchantId} and b.created_at < ${cutoff} and b.status in ('done', 'failed')
        and not exists (select 1 from address_match_batch_rows r where r.merchant_id = b.merchant_id and r.batch_id = b.id)
      limit ${limit})`
  }
  const key = sql.ref(PURGED[table])
  return sql`delete from ${sql.table(table)} where merchant_id = ${merchantId} and ${key} in (
    select ${key} from ${sql.table(table)} where merchant_id = ${merchantId} and created_at < ${cutoff} limit ${limit})`
}

/**
 * Deletes up to `limit` rows of `table` older than `cutoff` in its own short transaction;
 * null when another instance holds the purge lock. Orders take their feedback and fraud
 * history with them (foreign keys cascade), events their deliveries.
 */
export async function purgeBatch (db: Kysely<DB>, table: PurgedTable, merchantId: string, cutoff: Date, limit: number): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${LOCK_KEY}) as locked`.execute(trx)
    if (rows[0]?.locked !== true) return null
    const result = await batchStatement(table, merchantId, cutoff, limit).execute(trx)
    return Number(result.numAffectedRows ?? 0n)
  })
}
