// Repository for webhook deliveries: claimed by workers with FOR UPDATE SKIP LOCKED under a
// lease (several instances are safe; a dead worker's lease lapses), a few at a time per
// endpoint and none to an endpoint whose circuit is open; a digest's events, paged; and the
// delivery log and redelivery. Attempts are recorded in db/webhook-attempts.ts.
import { sql, type Kysely } from 'kysely'
import type { DB, DeliveryStatus } from './types.js'

export type ClaimedDelivery = {
  merchant_id: string; id: string; endpoint_id: string; event_id: string | null; digest_slot: Date | null
  attempts: number; first_attempt_at: Date | null; url: string; secret: string
  previous_secret: string | null; previous_secret_until: Date | null
  /** An immediate delivery's event, read with the claim (null for a digest). */
  event_type: string | null; event_data: unknown; event_created_at: Date | null
}

export type ClaimOptions = {
  limit: number
  leaseMs: number
  /** Deliveries this worker holds now (on the wire or being recorded): not to be claimed again. */
  held: readonly string[]
  /** At most this many deliveries of one endpoint leased at a time, across every worker. */
  perEndpoint: number
}

/**
 * Up to `limit` due deliveries, leased to `worker` for `leaseMs`. Its own unexpired leases it
 * does not hold count as free: a round the database cut short left them. What it holds counts
 * against its endpoint's share and is never claimed again, even past its lease: a POST still on
 * the wire (or being recorded) is one. An endpoint gets at
 * most `perEndpoint` leased at a time; one whose circuit is open gets none, and one whose
 * cool-down is over (half-open) gets a single probe, whose lease holds the circuit shut for
 * others meanwhile. Claiming a digest seals it: its content no longer changes.
 */
export async function claimDeliveries (db: Kysely<DB>, worker: string, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  const lease = sql`${`${o.leaseMs} milliseconds`}::interval`
  const { rows } = await sql<ClaimedDelivery>`
    with busy as (
      select merchant_id, endpoint_id, count(*)::int as n from webhook_deliveries
      where status = 'pending' and (id = any(${o.held}::uuid[])
        or (lease_owner is not null and lease_owner <> ${worker} and lease_until >= now()))
      group by merchant_id, endpoint_id
    ), full_endpoints as (
      -- One array, checked per due row without a join: a dead endpoint's backlog is due and
      -- passed over, and joining each of its rows to busy made every claim cost the backlog.
      select coalesce(array_agg(b.endpoint_id), '{}'::uuid[]) as ids from busy b
      join webhook_endpoints e on e.merchant_id = b.merchant_id and e.id = b.endpoint_id
      where b.n >= (case when e.circuit_open_until is null then ${o.perEndpoint}::int else 1 end)
    ), due as (
      select d.merchant_id, d.id, d.endpoint_id, d.next_attempt_at, e.circuit_open_until is not null as probe,
        (case when e.circuit_open_until is null then ${o.perEndpoint}::int else 1 end) as share
      from webhook_deliveries d
      join webhook_endpoints e on e.merchant_id = d.merchant_id and e.id = d.endpoint_id
      where d.status = 'pending' and d.next_attempt_at <= now()
        and not d.id = any(${o.held}::uuid[])
        and (d.lease_until is null or d.lease_until < now() or d.lease_owner = ${worker})
        and (e.circuit_open_until is null or e.circuit_open_until <= now())
        and not d.endpoint_id = any((select ids from full_endpoints)::uuid[])
      order by d.next_attempt_at
      limit ${o.limit * 4}
      for update of d skip locked
    ), picked as (
      select * from (
        select due.*, due.share - coalesce(b.n, 0) as room,
          row_number() over (partition by due.merchant_id, due.endpoint_id order by due.next_attempt_at, due.id) as rn
        from due left join busy b on b.merchant_id = due.merchant_id and b.endpoint_id = due.endpoint_id) r
      where rn <= room order by next_attempt_at limit ${o.limit}
    ), probing as (
      update webhook_endpoints e set circuit_open_until = now() + ${lease}
      from picked p where p.probe and e.merchant_id = p.merchant_id and e.id = p.endpoint_id
    ), leased as (
      update webhook_deliveries d set lease_until = now() + ${lease}, lease_owner = ${worker},
        sealed_at = case when d.digest_slot is null then null else coalesce(d.sealed_at, now()) end
      from picked where d.merchant_id = picked.merchant_id and d.id = picked.id
      returning d.merchant_id, d.id, d.endpoint_id, d.event_id, d.digest_slot, d.attempts, d.first_attempt_at
    )
    select l.*, e.url, e.secret, e.previous_secret, e.previous_secret_until,
      ev.type as event_type, ev.data as event_data, ev.created_at as event_created_at
    from leased l join webhook_endpoints e on e.merchant_id = l.merchant_id and e.id = l.endpoint_id
    left join webhook_events ev on ev.merchant_id = l.merchant_id and ev.id = l.event_id`.execute(db)
  return rows
}

/**
 * Moves a claimed digest's events beyond the first `max` (oldest first) to the hour's open
 * digest — a new one if none is open — so no payload grows without bound: the rest go in the
 * next delivery. Only while `worker` holds the digest.
 */
export async function pageDigest (db: Kysely<DB>, d: Pick<ClaimedDelivery, 'merchant_id' | 'id' | 'endpoint_id' | 'digest_slot'>, worker: string, max: number): Promise<number> {
  if (d.digest_slot === null) return 0
  const { rows } = await sql<{ moved: number }>`
    with overflow as (
      select i.event_id from webhook_digest_items i
      join webhook_events e on e.merchant_id = i.merchant_id and e.id = i.event_id
      where i.merchant_id = ${d.merchant_id} and i.delivery_id = ${d.id}
      order by e.created_at, e.id offset ${max}
    ), next_page as (
      insert into webhook_deliveries (merchant_id, endpoint_id, digest_slot, next_attempt_at)
      select merchant_id, endpoint_id, digest_slot, now() from webhook_deliveries
      where merchant_id = ${d.merchant_id} and id = ${d.id} and lease_owner = ${worker} and exists (select 1 from overflow)
      on conflict (merchant_id, endpoint_id, digest_slot) where digest_slot is not null and sealed_at is null
      do update set digest_slot = excluded.digest_slot
      returning id
    ), moved as (
      update webhook_digest_items i set delivery_id = next_page.id from next_page, overflow
      where i.merchant_id = ${d.merchant_id} and i.delivery_id = ${d.id} and i.event_id = overflow.event_id
      returning 1
    )
    select count(*)::int as moved from moved`.execute(db)
  return rows[0]!.moved
}

export type EventRow = { id: string; type: string; data: unknown; created_at: Date }

/** The event an immediate delivery carries (read with its claim), or a digest's events, oldest first, at most `max`. */
export async function deliveryEvents (db: Kysely<DB>, d: Pick<ClaimedDelivery, 'merchant_id' | 'id' | 'event_id' | 'event_type' | 'event_data' | 'event_created_at'>, max: number): Promise<EventRow[]> {
  if (d.event_id !== null) {
    return d.event_type === null || d.event_created_at === null
      ? []
      : [{ id: d.event_id, type: d.event_type, data: d.event_data, created_at: d.event_created_at }]
  }
  return db.selectFrom('webhook_digest_items as i')
    .innerJoin('webhook_events as e', (j) => j.onRef('e.merchant_id', '=', 'i.merchant_id').onRef('e.id', '=', 'i.event_id'))
    .select(['e.id', 'e.type', 'e.data', 'e.created_at'])
    .where('i.merchant_id', '=', d.merchant_id).where('i.delivery_id', '=', d.id)
    .orderBy('e.created_at').orderBy('e.id').limit(max).execute()
}

export type DeliveryLogRow = {
  id: string; event_id: string | null; digest_slot: Date | null; status: DeliveryStatus; attempts: number
  next_attempt_at: Date; last_status: number | null; last_error: string | null; delivered_at: Date | null; created_at: Date
  attempt_log: Array<{ attempt: number; started_at: string; latency_ms: number; status: number | null; error: string | null }>
}

/** An endpoint's deliveries, newest first, each with its attempts. */
export async function listDeliveries (
  db: Kysely<DB>, merchantId: string, endpointId: string, page: { limit: number; before?: { createdAt: Date; id: string } }
): Promise<DeliveryLogRow[]> {
  let q = db.selectFrom('webhook_deliveries as d')
    .select(['d.id', 'd.event_id', 'd.digest_slot', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status', 'd.last_error', 'd.delivered_at', 'd.created_at'])
    .select(sql<DeliveryLogRow['attempt_log']>`(select coalesce(json_agg(a order by a.attempt), '[]'::json) from (
      select attempt, started_at, latency_ms, status, error from webhook_attempts a
      where a.merchant_id = d.merchant_id and a.delivery_id = d.id) a)`.as('attempt_log'))
    .where('d.merchant_id', '=', merchantId).where('d.endpoint_id', '=', endpointId)
  if (page.before !== undefined) {
    const { createdAt, id } = page.before
    q = q.where((eb) => eb.or([eb('d.created_at', '<', createdAt), eb.and([eb('d.created_at', '=', createdAt), eb('d.id', '<', id)])]))
  }
  return q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(page.limit).execute()
}

/**
 * Sends the delivery again from now, with a fresh 24-hour retry budget — unless it is a digest
 * whose hour has not come (it would go out early, and events of its hour would miss it).
 * Answers whether it exists, whether it was queued, and a digest's hour.
 */
export async function redeliver (db: Kysely<DB>, merchantId: string, endpointId: string, id: string): Promise<{ found: boolean; queued: boolean; digestSlot: Date | null }> {
  const { rows } = await sql<{ found: boolean; queued: boolean; digest_slot: Date | null }>`
    with target as (
      select digest_slot, digest_slot is not null and digest_slot > now() as early from webhook_deliveries
      where merchant_id = ${merchantId} and endpoint_id = ${endpointId} and id = ${id}
    ), queued as (
      update webhook_deliveries set status = 'pending', next_attempt_at = now(), first_attempt_at = null,
        lease_until = null, lease_owner = null, delivered_at = null
      where merchant_id = ${merchantId} and endpoint_id = ${endpointId} and id = ${id}
        and not exists (select 1 from target where early)
      returning 1
    )
    select exists (select 1 from target) as found, exists (select 1 from queued) as queued, (select digest_slot from target) as digest_slot`.execute(db)
  const r = rows[0]!
  return { found: r.found, queued: r.queued, digestSlot: r.digest_slot === null ? null : new Date(r.digest_slot) }
}

/** A test event for one endpoint, delivered at once whatever its mode (once its circuit lets it through). */
export async function enqueueTest (db: Kysely<DB>, merchantId: string, endpointId: string, data: unknown): Promise<{ deliveryId: string; eventId: string }> {
  const { rows } = await sql<{ delivery_id: string; event_id: string }>`
    with ev as (
      insert into webhook_events (merchant_id, type, data) values (${merchantId}, 'test', ${JSON.stringify(data)}::jsonb) returning id
    )
    insert into webhook_deliveries (merchant_id, endpoint_id, event_id, next_attempt_at)
    select ${merchantId}, ${endpointId}, ev.id, greatest(now(), coalesce(e.circuit_open_until, now()))
    from ev, webhook_endpoints e where e.merchant_id = ${merchantId} and e.id = ${endpointId}
    returning id as delivery_id, event_id`.execute(db)
  return { deliveryId: rows[0]!.delivery_id, eventId: rows[0]!.event_id }
}
