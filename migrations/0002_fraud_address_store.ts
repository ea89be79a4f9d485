// The card issuers' store of addresses used in past fraud (不正利用住所), and the imports that
// load it. Rows keep the parts as received beside their normalized form and the keys matching
// searches by. The store is the operator's, shared by every merchant's matching.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fraud_address_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running'))
    .addColumn('encoding', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('lines', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    // The first rejected lines with their reasons; `rejected` counts them all.
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('failure', 'text')
    .addCheckConstraint('fraud_address_imports_status_check', sql`status in ('running', 'done', 'failed')`)
    .execute()

  await db.schema
    .createTable('fraud_addresses')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('import_id', 'uuid')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('reported_on', 'date', (c) => c.notNull())
    // As received from the issuer.
    .addColumn('prefecture', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('town', 'text', (c) => c.notNull())
    .addColumn('block', 'text', (c) => c.notNull())
    .addColumn('room', 'text')
    .addColumn('building', 'text')
    // Normalized (src/domain/address): what matching compares.
    .addColumn('norm_prefecture', 'text', (c) => c.notNull())
    .addColumn('norm_city', 'text', (c) => c.notNull())
    .addColumn('norm_town', 'text', (c) => c.notNull())
    .addColumn('norm_block', 'text', (c) => c.notNull())
    .addColumn('norm_room', 'text')
    .addColumn('match_key', 'text', (c) => c.notNull())
    .addColumn('room_key', 'text')
    .addColumn('town_key', 'text', (c) => c.notNull())
    .addColumn('city_key', 'text', (c) => c.notNull())
    // SHA-256 of issuer, date, keys and building: re-importing a row adds nothing.
    .addColumn('dedupe_hash', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('fraud_addresses_import_id_fkey', ['import_id'], 'fraud_address_imports', ['id'], (fk) => fk.onDelete('set null'))
    .addUniqueConstraint('fraud_addresses_dedupe_hash_key', ['dedupe_hash'])
    .execute()

  await db.schema.createIndex('fraud_addresses_match_key_idx').on('fraud_addresses').column('match_key').execute()
  await db.schema.createIndex('fraud_addresses_town_key_idx').on('fraud_addresses').column('town_key').execute()
  await db.schema.createIndex('fraud_addresses_city_key_idx').on('fraud_addresses').column('city_key').execute()
  await db.schema.createIndex('fraud_addresses_import_id_idx').on('fraud_addresses').column('import_id').execute()
  // The operator's search (GET /v1/fraud-addresses) filters by city or town and pages by id.
  await db.schema.createIndex('fraud_addresses_norm_city_idx').on('fraud_addresses').columns(['norm_city', 'id']).execute()
  await db.schema.createIndex('fraud_addresses_norm_town_idx').on('fraud_addresses').columns(['norm_town', 'id']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fraud_addresses').execute()
  await db.schema.dropTable('fraud_address_imports').execute()
}
