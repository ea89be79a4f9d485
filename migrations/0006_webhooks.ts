// Notifications (seed 000's hourly mail, for machines): webhook endpoints, the outbox of events
// written with the result they report, one delivery per endpoint and event (or per endpoint and
// digest hour), and every attempt made. Workers claim deliveries with FOR UPDATE SKIP LOCKED.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('min_level', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull().defaultTo('07:00'))
    .addColumn('window_end', 'text', (c) => c.notNull().defaultTo('22:00'))
    // Needed in clear to sign; after a rotation the previous secret also signs for a day.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webhook_endpoints_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('webhook_endpoints_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('webhook_endpoints_min_level_check', sql`min_level in ('elevated', 'high')`)
    .addCheckConstraint('webhook_endpoints_mode_check', sql`mode in ('immediate', 'digest')`)
    .execute()

  await db.schema
    .createTable('webhook_events')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webhook_events_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('webhook_events_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .execute()

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('endpoint_id', 'uuid', (c) => c.notNull())
    // An immediate delivery carries one event; a digest gathers its events in webhook_digest_items.
    .addColumn('event_id', 'uuid')
    .addColumn('digest_slot', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('first_attempt_at', 'timestamptz')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webhook_deliveries_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('webhook_deliveries_endpoint_fkey', ['merchant_id', 'endpoint_id'], 'webhook_endpoints', ['merchant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('webhook_deliveries_event_fkey', ['merchant_id', 'event_id'], 'webhook_events', ['merchant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('webhook_deliveries_status_check', sql`status in ('pending', 'delivered', 'failed')`)
    .addCheckConstraint('webhook_deliveries_kind_check', sql`(event_id is null) <> (digest_slot is null)`)
    .execute()
  // Workers look for due deliveries; one digest per endpoint and hour.
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries')
    .columns(['next_attempt_at']).where(sql.ref('status'), '=', 'pending').execute()
  await sql`create unique index webhook_deliveries_digest_key on webhook_deliveries (merchant_id, endpoint_id, digest_slot) where digest_slot is not null`.execute(db)
  await db.schema.createIndex('webhook_deliveries_endpoint_idx').on('webhook_deliveries').columns(['merchant_id', 'endpoint_id', 'created_at']).execute()

  await db.schema
    .createTable('webhook_digest_items')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('delivery_id', 'uuid', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_digest_items_pkey', ['merchant_id', 'delivery_id', 'event_id'])
    .addForeignKeyConstraint('webhook_digest_items_delivery_fkey', ['merchant_id', 'delivery_id'], 'webhook_deliveries', ['merchant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('webhook_digest_items_event_fkey', ['merchant_id', 'event_id'], 'webhook_events', ['merchant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('delivery_id', 'uuid', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('webhook_attempts_pkey', ['merchant_id', 'delivery_id', 'attempt'])
    .addForeignKeyConstraint('webhook_attempts_delivery_fkey', ['merchant_id', 'delivery_id'], 'webhook_deliveries', ['merchant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute()
  await db.schema.dropTable('webhook_digest_items').execute()
  await db.schema.dropTable('webhook_deliveries').execute()
  await db.schema.dropTable('webhook_events').execute()
  await db.schema.dropTable('webhook_endpoints').execute()
}
