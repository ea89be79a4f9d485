// Idempotent retries. `idempotency_keys`: the answer a POST gave under an Idempotency-Key, per
// caller (a merchant's id, or 'operator'), so a retry answers it again instead of acting twice;
// a row with no status yet is a call still in flight, claimed until `locked_until`. Rows expire
// after a day and the retention purge deletes them. `shipment_checks.request_hash`: a shipment
// check repeated with the same body within the replay window answers the stored check.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    // SHA-256 of method, path and body (or, for a streamed upload, its headers and length).
    .addColumn('fingerprint', 'bytea', (c) => c.notNull())
    // Which call holds the claim: only it may store its answer or release the key.
    .addColumn('claim', 'uuid', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_headers', 'jsonb')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['owner', 'key'])
    .addCheckConstraint('idempotency_keys_key_check', sql`length(key) between 1 and 255`)
    .execute()
  await db.schema.createIndex('idempotency_keys_expires_idx').on('idempotency_keys').column('expires_at').execute()
  await sql`alter table shipment_checks add column request_hash bytea`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`alter table shipment_checks drop column request_hash`.execute(db)
  await db.schema.dropTable('idempotency_keys').execute()
}
