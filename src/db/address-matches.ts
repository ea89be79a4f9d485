// Repository for the audit trail of address matches (merchant, order id, result, time).
import type { Kysely } from 'kysely'
import type { DB } from './types.js'

export async function recordAddressMatch (
  db: Kysely<DB>,
  row: { merchant_id: string; order_id: string; result: 'full' | 'partial' | 'none'; count: number }
): Promise<{ id: string; created_at: Date }> {
  return db.insertInto('address_matches').values(row).returning(['id', 'created_at']).executeTakeFirstOrThrow()
}
