// Every 不正住所照合 a merchant runs is recorded for audit: who, which order, what result, when.
// No personal data: the address and e-mail stay in the merchant's request.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('address_matches')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('address_matches_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('address_matches_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('address_matches_result_check', sql`result in ('full', 'partial', 'none')`)
    .execute()
  await db.schema.createIndex('address_matches_order_idx').on('address_matches').columns(['merchant_id', 'order_id']).execute()
  // The per-field judgment "prefecture hit" probes the store by prefecture when the address misses.
  await db.schema.createIndex('fraud_addresses_norm_prefecture_idx').on('fraud_addresses').column('norm_prefecture').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('fraud_addresses_norm_prefecture_idx').execute()
  await db.schema.dropTable('address_matches').execute()
}
