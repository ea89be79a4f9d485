// The outbox: an event and its deliveries are written by the same statement (or transaction)
// as the result they report, so no event is lost when the process dies after answering. A
// digest delivery exists once per endpoint and hour; each event joins it as an item.
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from './types.js'
import type { Fanout } from '../domain/webhooks/fanout.js'

export type { Fanout }

export const hasDeliveries = (f: Fanout | null): f is Fanout => f !== null && (f.immediate.length > 0 || f.digest.length > 0)

/**
 * CTEs (to follow a WITH … of the caller's) that insert the event and its deliveries. With
 * `after`, the name of an earlier CTE, they insert only if that CTE returned a row — a replayed
 * order, which inserted nothing, enqueues nothing either.
 */
export function outboxCtes (merchantId: string, f: Fanout, after: string | null): RawBuilder<unknown> {
  const from = after === null ? sql`` : sql`from ${sql.table(after)}`
  const ids = f.digest.map((d) => d.endpointId)
  const slots = f.digest.map((d) => d.slot.toISOString())
  return sql`
    outbox_event as (
      insert into webhook_events (merchant_id, type, data)
      select ${merchantId}::uuid, ${f.type}, ${JSON.stringify(f.data)}::jsonb ${from} limit 1
      returning id
    ), outbox_now as (
      insert into webhook_deliveries (merchant_id, endpoint_id, event_id, next_attempt_at)
      select ${merchantId}::uuid, e.id, outbox_event.id, now()
      from outbox_event, unnest(${f.immediate}::uuid[]) as e(id)
    ), outbox_digest as (
      insert into webhook_deliveries (merchant_id, endpoint_id, digest_slot, next_attempt_at)
      select ${merchantId}::uuid, d.id, d.slot, d.slot
      from outbox_event, unnest(${ids}::uuid[], ${slots}::timestamptz[]) as d(id, slot)
      on conflict (merchant_id, endpoint_id, digest_slot) where digest_slot is not null
      do update set digest_slot = excluded.digest_slot
      returning id
    ), outbox_items as (
      insert into webhook_digest_items (merchant_id, delivery_id, event_id)
      select ${merchantId}::uuid, outbox_digest.id, outbox_event.id from outbox_digest, outbox_event
    )`
}

/** The event and its deliveries on their own: inside the caller's transaction, with its result. */
export async function enqueueEvent (db: Kysely<DB>, merchantId: string, f: Fanout | null): Promise<void> {
  if (!hasDeliveries(f)) return
  await sql`with ${outboxCtes(merchantId, f, null)} select 1`.execute(db)
}
