// Tenancy: merchants (加盟店) with their score thresholds, and their hashed, scoped API keys.
// Under Citus, merchants and api_keys are reference tables (small, read on every request, and a
// key is found by its hash before its merchant is known); the tables keyed by merchant_id that
// later features add are the distributed ones.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // Later features rank names and addresses by trigram similarity (類似).
  await sql`create extension if not exists pg_trgm`.execute(db)

  await db.schema
    .createTable('merchants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level_elevated_at', 'smallint', (c) => c.notNull().defaultTo(10))
    .addColumn('level_high_at', 'smallint', (c) => c.notNull().defaultTo(50))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('merchants_levels_ordered_check',
      sql`level_elevated_at >= 1 and level_elevated_at < level_high_at and level_high_at <= 100`)
    .execute()

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('key_hash', 'bytea', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('api_keys_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('api_keys_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addUniqueConstraint('api_keys_key_hash_key', ['key_hash'])
    .execute()

  await db.schema.createIndex('api_keys_id_idx').on('api_keys').column('id').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_keys').execute()
  await db.schema.dropTable('merchants').execute()
  // pg_trgm stays: other databases objects may use it, and dropping an extension is an operator's call.
}
