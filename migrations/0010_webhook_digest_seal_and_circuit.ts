// Digests that cannot lose an event, and a circuit breaker per endpoint.
//
// A digest's payload id is its delivery id, which receivers deduplicate on: once a worker has
// taken a digest its content must never change, or a retry would carry new events under an id
// the receiver has already seen. `sealed_at` marks that moment; only an unsealed digest takes
// new events, so "one digest per endpoint and hour" becomes "one open digest per endpoint and
// hour" — an event arriving after its hour's digest was taken opens another for that hour.
//
// The breaker's state lives on the endpoint so that every instance sees it: consecutive failed
// attempts (timeouts, 5xx, refused connections) and, once open, until when nothing is sent.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_deliveries add column sealed_at timestamptz`.execute(db)
  await sql`update webhook_deliveries set sealed_at = coalesce(first_attempt_at, now())
    where digest_slot is not null and (attempts > 0 or lease_until is not null or status <> 'pending')`.execute(db)
  await sql`drop index webhook_deliveries_digest_key`.execute(db)
  await sql`create unique index webhook_deliveries_open_digest_key on webhook_deliveries (merchant_id, endpoint_id, digest_slot)
    where digest_slot is not null and sealed_at is null`.execute(db)
  // An endpoint's pending deliveries: postponed together when its circuit opens.
  await sql`create index webhook_deliveries_endpoint_pending_idx on webhook_deliveries (merchant_id, endpoint_id, next_attempt_at)
    where status = 'pending'`.execute(db)
  await sql`alter table webhook_endpoints add column consecutive_failures integer not null default 0,
    add column circuit_open_until timestamptz`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_endpoints drop column circuit_open_until, drop column consecutive_failures`.execute(db)
  await sql`drop index webhook_deliveries_endpoint_pending_idx`.execute(db)
  await sql`drop index webhook_deliveries_open_digest_key`.execute(db)
  // Several digests of one hour may exist now: keep them all, a microsecond apart, so the old
  // one-per-hour key holds without dropping any.
  await sql`update webhook_deliveries d set digest_slot = d.digest_slot + (r.n - 1) * interval '1 microsecond'
    from (select merchant_id, id, row_number() over (partition by merchant_id, endpoint_id, digest_slot order by created_at, id) as n
          from webhook_deliveries where digest_slot is not null) r
    where d.merchant_id = r.merchant_id and d.id = r.id and r.n > 1`.execute(db)
  await sql`create unique index webhook_deliveries_digest_key on webhook_deliveries (merchant_id, endpoint_id, digest_slot) where digest_slot is not null`.execute(db)
  await sql`alter table webhook_deliveries drop column sealed_at`.execute(db)
}
