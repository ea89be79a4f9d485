// Repository for shipping-time checks (出荷時照合): each check and its answer, kept per order,
// with its webhook event (shipment.checked) in the same statement; and the replay of a check
// repeated with the same body within the replay window.
import { sql, type Kysely } from 'kysely'
import type { DB, Level, Recommendation } from './types.js'
import { hasDeliveries, outboxCtes, type Fanout } from './webhook-outbox.js'

export type NewShipmentCheck = {
  merchant_id: string; id: string; order_id: string; carrier: string | null; tracking_number: string | null
  score: number; level: Level; recommendation: Recommendation; response: unknown; created_at: Date
  request_hash: Buffer
}

function insertStatement (row: NewShipmentCheck, fanout: Fanout | null) {
  const outbox = hasDeliveries(fanout) ? sql`, ${outboxCtes(row.merchant_id, fanout, 'chk')}` : sql``
  return sql`
    with chk as (
      insert into shipment_checks (merchant_id, id, order_id, carrier, tracking_number, score, level, recommendation, response, request_hash, created_at)
      values (${row.merchant_id}, ${row.id}, ${row.order_id}, ${row.carrier}, ${row.tracking_number}, ${row.score}, ${row.level},
        ${row.recommendation}, ${JSON.stringify(row.response)}::jsonb, ${row.request_hash}, ${row.created_at})
      returning id
    )${outbox}
    select id from chk`
}

/**
 * Stores the check and its event, unless a check of this order with the same request hash was
 * stored since `since` (null: no replay): then nothing is written and that check's answer is returned. A
 * transaction-level lock on (merchant, order) makes two identical checks racing store one.
 */
export async function recordShipmentCheck (
  db: Kysely<DB>, row: NewShipmentCheck, fanout: Fanout | null, since: Date | null
): Promise<{ replayed: unknown } | null> {
  if (since === null) {
    await insertStatement(row, fanout).execute(db)
    return null
  }
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`shipment:${row.merchant_id}:${row.order_id}`}))`.execute(trx)
    const earlier = await trx.selectFrom('shipment_checks').select('response')
      .where('merchant_id', '=', row.merchant_id).where('order_id', '=', row.order_id)
      .where('created_at', '>', since).where('request_hash', '=', row.request_hash)
      .orderBy('created_at', 'desc').limit(1)
      .executeTakeFirst()
    if (earlier !== undefined) return { replayed: earlier.response }
    await insertStatement(row, fanout).execute(trx)
    return null
  })
}
