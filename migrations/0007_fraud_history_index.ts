// The fraud-history search (類似) filtered by merchant and kind inside the trigram index: a GIN
// index over (merchant_id, kind, value) needs btree_gin for the two equality columns. Without
// it, PostgreSQL walked every merchant's trigram candidates, or the merchant's whole history.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists btree_gin`.execute(db)
  await sql`create index fraud_history_search_idx on fraud_history using gin (merchant_id, kind, value gin_trgm_ops)`.execute(db)
  await sql`drop index if exists fraud_history_value_trgm_idx`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`create index fraud_history_value_trgm_idx on fraud_history using gin (value gin_trgm_ops)`.execute(db)
  await sql`drop index if exists fraud_history_search_idx`.execute(db)
  // btree_gin stays: other objects may use it, and dropping an extension is an operator's call.
}
