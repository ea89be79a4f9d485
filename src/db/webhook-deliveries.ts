// Repository for webhook deliveries: claimed by workers with FOR UPDATE SKIP LOCKED under a
// lease (several instances are safe; a dead worker's lease lapses), every attempt recorded,
// the delivery log, and redelivery.
import { sql, type Kysely } from 'kysely'
import type { DB, DeliveryStatus } from './types.js'

export type ClaimedDelivery = {
  merchant_id: string; id: string; endpoint_id: string; event_id: string | null; digest_slot: Date | null
  attempts: number; first_attempt_at: Date | null; url: string; secret: string
  previous_secret: string | null; previous_secret_until: Date | null
  /** An immediate delivery's event, read with the claim (null for a digest). */
  event_type: string | null; event_data: unknown; event_created_at: Date | null
}

/**
 * Up to `limit` due deliveries, leased to `worker` for `leaseMs`. The worker's own unexpired
 * leases count as free: it claims only between rounds, so a delivery it still holds is one whose
 * round the database cut short.
 */
export async function claimDeliveries (db: Kysely<DB>, worker: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    with due as (
      select merchant_id, id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now() or lease_owner = ${worker})
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    ), leased as (
      update webhook_deliveries d set lease_until = now() + ${`${leaseMs} milliseconds`}::interval, lease_owner = ${worker}
      from due where d.merchant_id = due.merchant_id and d.id = due.id
      returning d.merchant_id, d.id, d.endpoint_id, d.event_id, d.digest_slot, d.attempts, d.first_attempt_at
    )
    select l.*, e.url, e.secret, e.previous_secret, e.previous_secret_until,
      ev.type as event_type, ev.data as event_data, ev.created_at as event_created_at
    from leased l join webhook_endpoints e on e.merchant_id = l.merchant_id and e.id = l.endpoint_id
    left join webhook_events ev on ev.merchant_id = l.merchant_id and ev.id = l.event_id`.execute(db)
  return rows
}

export type EventRow = { id: string; type: string; data: unknown; created_at: Date }

/** The event an immediate delivery carries (read with its claim), or the events of a digest, oldest first. */
export async function deliveryEvents (db: Kysely<DB>, d: Pick<ClaimedDelivery, 'merchant_id' | 'id' | 'event_id' | 'event_type' | 'event_data' | 'event_created_at'>): Promise<EventRow[]> {
  if (d.event_id !== null) {
    return d.event_type === null || d.event_created_at === null
      ? []
      : [{ id: d.event_id, type: d.event_type, data: d.event_data, created_at: d.event_created_at }]
  }
  return db.selectFrom('webhook_digest_items as i')
    .innerJoin('webhook_events as e', (j) => j.onRef('e.merchant_id', '=', 'i.merchant_id').onRef('e.id', '=', 'i.event_id'))
    .select(['e.id', 'e.type', 'e.data', 'e.created_at'])
    .where('i.merchant_id', '=', d.merchant_id).where('i.delivery_id', '=', d.id)
    .orderBy('e.created_at').orderBy('e.id').execute()
}

export type AttemptOutcome = { startedAt: Date; latencyMs: number; status: number | null; error: string | null }

export type RecordedAttempt = { d: ClaimedDelivery; outcome: AttemptOutcome; next: { status: DeliveryStatus; nextAttemptAt: Date | null } }

/**
 * Records a round's attempts and their deliveries' new states in one statement (one commit for
 * the round, not one per delivery), each only if `worker` still holds the delivery: a lease that
 * lapsed (or a redelivery that cleared it) belongs to whoever claimed it since, and a stale write
 * would clear their lease and reuse their attempt number. Answers the ids recorded.
 */
export async function recordAttempts (db: Kysely<DB>, worker: string, attempts: readonly RecordedAttempt[]): Promise<Set<string>> {
  if (attempts.length === 0) return new Set()
  const rows = attempts.map(({ d, outcome, next }) => ({
    merchant_id: d.merchant_id, id: d.id, attempt: d.attempts + 1, status: next.status,
    first_attempt_at: (d.first_attempt_at ?? outcome.startedAt), next_attempt_at: next.nextAttemptAt,
    started_at: outcome.startedAt, latency_ms: outcome.latencyMs, last_status: outcome.status, last_error: outcome.error,
    delivered_at: next.status === 'delivered' ? outcome.startedAt : null,
  }))
  const { rows: held } = await sql<{ id: string }>`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        merchant_id uuid, id uuid, attempt int, status text, first_attempt_at timestamptz, next_attempt_at timestamptz,
        started_at timestamptz, latency_ms int, last_status int, last_error text, delivered_at timestamptz)
    ), held as (
      update webhook_deliveries d set
        attempts = v.attempt, status = v.status, first_attempt_at = v.first_attempt_at,
        next_attempt_at = coalesce(v.next_attempt_at, d.next_attempt_at), lease_until = null, lease_owner = null,
        last_status = v.last_status, last_error = v.last_error, delivered_at = v.delivered_at
      from v where d.merchant_id = v.merchant_id and d.id = v.id and d.lease_owner = ${worker}
      returning d.merchant_id, d.id
    ), logged as (
      insert into webhook_attempts (merchant_id, delivery_id, attempt, started_at, latency_ms, status, error)
      select v.merchant_id, v.id, v.attempt, v.started_at, v.latency_ms, v.last_status, v.last_error
      from v join held on held.merchant_id = v.merchant_id and held.id = v.id
    )
    select id from held`.execute(db)
  return new Set(held.map((r) => r.id))
}

/**
 * Gives up `worker`'s claim on a delivery its round could not send for a reason of its own (not
 * the database): the lease runs out as it would for a dead worker, instead of the worker taking
 * it straight back on its next round and failing on it every second.
 */
export async function disownDelivery (db: Kysely<DB>, d: { merchant_id: string; id: string }, worker: string): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ lease_owner: null })
    .where('merchant_id', '=', d.merchant_id).where('id', '=', d.id).where('lease_owner', '=', worker).execute()
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

/** Sends the delivery again from now, with a fresh 24-hour retry budget. */
export async function redeliver (db: Kysely<DB>, merchantId: string, endpointId: string, id: string): Promise<boolean> {
  const r = await db.updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: sql`now()` as any, first_attempt_at: null, lease_until: null, lease_owner: null, delivered_at: null })
    .where('merchant_id', '=', merchantId).where('endpoint_id', '=', endpointId).where('id', '=', id)
    .executeTakeFirst()
  return r.numUpdatedRows > 0n
}

/** A test event for one endpoint, delivered at once whatever its mode. */
export async function enqueueTest (db: Kysely<DB>, merchantId: string, endpointId: string, data: unknown): Promise<{ deliveryId: string; eventId: string }> {
  const { rows } = await sql<{ delivery_id: string; event_id: string }>`
    with ev as (
      insert into webhook_events (merchant_id, type, data) values (${merchantId}, 'test', ${JSON.stringify(data)}::jsonb) returning id
    )
    insert into webhook_deliveries (merchant_id, endpoint_id, event_id, next_attempt_at)
    select ${merchantId}, ${endpointId}, ev.id, now() from ev
    returning id as delivery_id, event_id`.execute(db)
  return { deliveryId: rows[0]!.delivery_id, eventId: rows[0]!.event_id }
}
