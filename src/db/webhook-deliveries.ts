// Repository for webhook deliveries: claimed by workers with FOR UPDATE SKIP LOCKED under a
// lease (several instances are safe; a dead worker's lease lapses), every attempt recorded,
// the delivery log, and redelivery.
import { sql, type Kysely } from 'kysely'
import type { DB, DeliveryStatus } from './types.js'

export type ClaimedDelivery = {
  merchant_id: string; id: string; endpoint_id: string; event_id: string | null; digest_slot: Date | null
  attempts: number; first_attempt_at: Date | null; url: string; secret: string
  previous_secret: string | null; previous_secret_until: Date | null
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
    select l.*, e.url, e.secret, e.previous_secret, e.previous_secret_until
    from leased l join webhook_endpoints e on e.merchant_id = l.merchant_id and e.id = l.endpoint_id`.execute(db)
  return rows
}

export type EventRow = { id: string; type: string; data: unknown; created_at: Date }

/** The event an immediate delivery carries, or the events of a digest, oldest first. */
export async function deliveryEvents (db: Kysely<DB>, d: { merchant_id: string; id: string; event_id: string | null }): Promise<EventRow[]> {
  if (d.event_id !== null) {
    return db.selectFrom('webhook_events').select(['id', 'type', 'data', 'created_at'])
      .where('merchant_id', '=', d.merchant_id).where('id', '=', d.event_id).execute()
  }
  return db.selectFrom('webhook_digest_items as i')
    .innerJoin('webhook_events as e', (j) => j.onRef('e.merchant_id', '=', 'i.merchant_id').onRef('e.id', '=', 'i.event_id'))
    .select(['e.id', 'e.type', 'e.data', 'e.created_at'])
    .where('i.merchant_id', '=', d.merchant_id).where('i.delivery_id', '=', d.id)
    .orderBy('e.created_at').orderBy('e.id').execute()
}

export type AttemptOutcome = { startedAt: Date; latencyMs: number; status: number | null; error: string | null }

/**
 * Records the attempt and the delivery's new state, in one transaction, if `worker` still holds
 * the delivery: a lease that lapsed (or a redelivery that cleared it) belongs to whoever claimed
 * it since, and a stale write would clear their lease and reuse their attempt number. Answers
 * whether it was recorded.
 */
export async function recordAttempt (
  db: Kysely<DB>, d: ClaimedDelivery, worker: string, outcome: AttemptOutcome, next: { status: DeliveryStatus; nextAttemptAt: Date | null }
): Promise<boolean> {
  const attempt = d.attempts + 1
  return db.transaction().execute(async (trx) => {
    const held = await trx.updateTable('webhook_deliveries').set({
      attempts: attempt,
      status: next.status,
      first_attempt_at: d.first_attempt_at ?? outcome.startedAt,
      next_attempt_at: next.nextAttemptAt ?? sql`next_attempt_at` as any,
      lease_until: null,
      lease_owner: null,
      last_status: outcome.status,
      last_error: outcome.error,
      delivered_at: next.status === 'delivered' ? outcome.startedAt : null,
    }).where('merchant_id', '=', d.merchant_id).where('id', '=', d.id).where('lease_owner', '=', worker).executeTakeFirst()
    if (held.numUpdatedRows === 0n) return false
    await trx.insertInto('webhook_attempts').values({
      merchant_id: d.merchant_id, delivery_id: d.id, attempt, started_at: outcome.startedAt,
      latency_ms: outcome.latencyMs, status: outcome.status, error: outcome.error,
    }).execute()
    return true
  })
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
