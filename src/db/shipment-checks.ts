// Repository for shipping-time checks (出荷時照合): each check and its answer, kept per order.
import type { Kysely } from 'kysely'
import type { DB, Level, Recommendation } from './types.js'

export async function insertShipmentCheck (
  db: Kysely<DB>,
  row: {
    merchant_id: string; order_id: string; carrier: string | null; tracking_number: string | null
    score: number; level: Level; recommendation: Recommendation; response: unknown
  }
): Promise<{ id: string; created_at: Date }> {
  return db.insertInto('shipment_checks')
    .values({ ...row, response: JSON.stringify(row.response) })
    .returning(['id', 'created_at']).executeTakeFirstOrThrow()
}
