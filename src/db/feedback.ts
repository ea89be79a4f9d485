// Repository for merchant feedback on orders: chargeback, fraud_confirmed, legitimate.
import type { Kysely } from 'kysely'
import type { DB, FeedbackType } from './types.js'

export type FeedbackRow = { id: string; order_id: string; type: FeedbackType; note: string | null; created_at: Date }

export async function insertFeedback (
  db: Kysely<DB>, row: { merchant_id: string; order_id: string; type: FeedbackType; note: string | null }
): Promise<FeedbackRow> {
  return db.insertInto('order_feedback').values(row)
    .returning(['id', 'order_id', 'type', 'note', 'created_at']).executeTakeFirstOrThrow()
}

/** Every feedback on one order, oldest first. */
export async function listOrderFeedback (db: Kysely<DB>, merchantId: string, orderId: string): Promise<FeedbackRow[]> {
  return db.selectFrom('order_feedback').select(['id', 'order_id', 'type', 'note', 'created_at'])
    .where('merchant_id', '=', merchantId).where('order_id', '=', orderId)
    .orderBy('created_at').orderBy('id').execute()
}
