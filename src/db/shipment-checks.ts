// Repository for shipping-time checks (出荷時照合): each check and its answer, kept per order,
// with its webhook event (shipment.checked) in the same statement.
import { sql, type Kysely } from 'kysely'
import type { DB, Level, Recommendation } from './types.js'
import { hasDeliveries, outboxCtes, type Fanout } from './webhook-outbox.js'

export async function insertShipmentCheck (
  db: Kysely<DB>,
  row: {
    merchant_id: string; id: string; order_id: string; carrier: string | null; tracking_number: string | null
    score: number; level: Level; recommendation: Recommendation; response: unknown; created_at: Date
  },
  fanout: Fanout | null = null
): Promise<void> {
  const outbox = hasDeliveries(fanout) ? sql`, ${outboxCtes(row.merchant_id, fanout, 'chk')}` : sql``
  await sql`
    with chk as (
      insert into shipment_checks (merchant_id, id, order_id, carrier, tracking_number, score, level, recommendation, response, created_at)
      values (${row.merchant_id}, ${row.id}, ${row.order_id}, ${row.carrier}, ${row.tracking_number}, ${row.score}, ${row.level},
        ${row.recommendation}, ${JSON.stringify(row.response)}::jsonb, ${row.created_at})
      returning id
    )${outbox}
    select id from chk`.execute(db)
}
