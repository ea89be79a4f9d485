// The outbox: an event and its deliveries are written by the same statement (or transaction)
// as the result they report, so no event is lost when the process dies after answering. A
// digest event joins its endpoint's open digest for the hour, which the same statement computes
// from the database's clock; a digest a worker has already taken is sealed, and the event opens
// another for that hour instead of joining one that is gone.
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from './types.js'
import type { Fanout } from '../domain/webhooks/fanout.js'

export type { Fanout }

export const hasDeliveries = (f: Fanout | null): f is Fanout => f !== null && (f.immediate.length > 0 || f.digest.length > 0)

/**
 * The hour (timestamptz) whose digest carries an event at `at`, for a window 'HH:00'–'HH:00' in
 * Asia/Tokyo: the next top of the hour strictly after `at` if that hour is a sending time,
 * otherwise the window's first hour that follows — the rule `digestSlot` in
 * domain/webhooks/digest-window.ts states, written in SQL so that the database's clock decides.
 */
export function digestSlotSql (at: RawBuilder<unknown>, windowStart: RawBuilder<unknown>, windowEnd: RawBuilder<unknown>): RawBuilder<Date> {
  const next = sql`(date_trunc('hour', ${at} at time zone 'Asia/Tokyo') + interval '1 hour')`
  const start = sql`split_part(${windowStart}, ':', 1)::int`
  const end = sql`split_part(${windowEnd}, ':', 1)::int`
  const hour = sql`extract(hour from ${next})::int`
  return sql<Date>`((case
    when ${hour} between ${start} and ${end} then ${next}
    when ${hour} < ${start} then date_trunc('day', ${next}) + make_interval(hours => ${start})
    else date_trunc('day', ${next}) + make_interval(days => 1, hours => ${start})
  end) at time zone 'Asia/Tokyo')`
}

/**
 * CTEs (to follow a WITH … of the caller's) that insert the event and its deliveries. With
 * `after`, the name of an earlier CTE, they insert only if that CTE returned a row — a replayed
 * order, which inserted nothing, enqueues nothing either. An endpoint deleted meanwhile gets
 * nothing; one whose circuit is open gets its delivery when the circuit lets it through.
 */
export function outboxCtes (merchantId: string, f: Fanout, after: string | null): RawBuilder<unknown> {
  const from = after === null ? sql`` : sql`from ${sql.table(after)}`
  return sql`
    outbox_event as (
      insert into webhook_events (merchant_id, type, data)
      select ${merchantId}::uuid, ${f.type}, ${JSON.stringify(f.data)}::jsonb ${from} limit 1
      returning id
    ), outbox_now as (
      insert into webhook_deliveries (merchant_id, endpoint_id, event_id, next_attempt_at)
      select e.merchant_id, e.id, outbox_event.id, greatest(now(), coalesce(e.circuit_open_until, now()))
      from outbox_event, webhook_endpoints e
      where e.merchant_id = ${merchantId}::uuid and e.id = any(${f.immediate}::uuid[])
    ), outbox_digest as (
      insert into webhook_deliveries (merchant_id, endpoint_id, digest_slot, next_attempt_at)
      select s.merchant_id, s.id, s.slot, s.slot
      from outbox_event, (
        select e.merchant_id, e.id, ${digestSlotSql(sql`now()`, sql`e.window_start`, sql`e.window_end`)} as slot
        from webhook_endpoints e where e.merchant_id = ${merchantId}::uuid and e.id = any(${f.digest}::uuid[])
      ) s
      order by s.id
      on conflict (merchant_id, endpoint_id, digest_slot) where digest_slot is not null and sealed_at is null
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
