// Personal data (APPI, 個人情報保護法): each merchant's retention, the record of erasures made for
// one person (hashes only), and BRIN indexes so the purge finds old rows without a full scan.
// BRIN, not btree, on the hot tables: rows arrive in created_at order, so a BRIN summary costs
// next to nothing on insert where a btree would add a page write to every scored order.
import { sql, type Kysely } from 'kysely'

const BRIN = ['orders', 'shipment_checks', 'address_matches', 'webhook_events', 'address_match_batches'] as const

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('merchants')
    .addColumn('retention_days', 'integer', (c) => c.notNull().defaultTo(400))
    .execute()
  await db.schema
    .createTable('personal_data_erasures')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    // What the person was identified by (email, phone, name_address), never the value itself.
    .addColumn('kind', 'text', (c) => c.notNull())
    // HMAC-SHA256 of the normalized identifier under `salt`: whoever holds the identifier can
    // prove it was erased; the row alone reveals nothing.
    .addColumn('salt', 'bytea', (c) => c.notNull())
    .addColumn('subject_hash', 'bytea', (c) => c.notNull())
    .addColumn('touched', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('personal_data_erasures_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('personal_data_erasures_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('personal_data_erasures_kind_check', sql`kind in ('email', 'phone', 'name_address')`)
    .execute()
  for (const table of BRIN) {
    await sql`create index ${sql.id(`${table}_created_brin`)} on ${sql.table(table)} using brin (created_at)`.execute(db)
  }
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const table of BRIN) await sql`drop index if exists ${sql.id(`${table}_created_brin`)}`.execute(db)
  await db.schema.dropTable('personal_data_erasures').execute()
  await db.schema.alterTable('merchants').dropColumn('retention_days').execute()
}
