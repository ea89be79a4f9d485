// Batches of 不正住所照合 (seed 001's CSV 照合): the batch, claimed by one worker at a time through
// PostgreSQL (a lease that lapses if its worker dies), and its rows with their results.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('address_match_batches')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text')
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('full_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('partial_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('none_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('failure', 'text')
    .addPrimaryKeyConstraint('address_match_batches_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('address_match_batches_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('address_match_batches_status_check', sql`status in ('queued', 'running', 'done', 'failed')`)
    .addCheckConstraint('address_match_batches_source_check', sql`source in ('csv', 'json')`)
    .execute()
  // Workers look for claimable batches: queued, or running with a lapsed lease.
  await db.schema.createIndex('address_match_batches_claim_idx').on('address_match_batches')
    .columns(['status', 'created_at']).where(sql.ref('status'), 'in', ['queued', 'running']).execute()

  await db.schema
    .createTable('address_match_batch_rows')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('batch_id', 'uuid', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    // As the merchant sent them (seed 001's eight columns).
    .addColumn('order_id', 'text')
    .addColumn('email', 'text')
    .addColumn('prefecture', 'text')
    .addColumn('city', 'text')
    .addColumn('town', 'text')
    .addColumn('block', 'text')
    .addColumn('room', 'text')
    .addColumn('building', 'text')
    // Filled by the worker: a result with its judgments, or the row's error.
    .addColumn('result', 'text')
    .addColumn('count', 'integer')
    .addColumn('judgments', 'jsonb')
    .addColumn('error_field', 'text')
    .addColumn('error_reason', 'text')
    .addPrimaryKeyConstraint('address_match_batch_rows_pkey', ['merchant_id', 'batch_id', 'line'])
    .addForeignKeyConstraint('address_match_batch_rows_batch_fkey', ['merchant_id', 'batch_id'], 'address_match_batches', ['merchant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('address_match_batch_rows').execute()
  await db.schema.dropTable('address_match_batches').execute()
}
