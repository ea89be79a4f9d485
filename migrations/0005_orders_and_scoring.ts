// Authorization-time scoring (与信): the scored orders with their stored answers (idempotent
// replay), merchant feedback, the past-fraud history that 一致 / 類似 search, the merchant
// blocklist, running amount statistics, and shipping-time checks. Every table is keyed by
// merchant_id first (Citus distribution column).
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orders')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    // SHA-256 of the request body in a canonical form: a retry replays, a different body is 409.
    .addColumn('request_hash', 'bytea', (c) => c.notNull())
    .addColumn('ordered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('payment_method', 'text', (c) => c.notNull())
    // Normalized identifiers (never a card number): what velocity and feedback work from.
    .addColumn('buyer_key', 'text', (c) => c.notNull())
    .addColumn('buyer_email', 'text')
    .addColumn('buyer_name', 'text')
    .addColumn('ship_to_key', 'text', (c) => c.notNull())
    .addColumn('ship_to_match_key', 'text')
    .addColumn('identities', 'jsonb', (c) => c.notNull())
    .addColumn('score', 'smallint', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('ruleset_version', 'text', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('outcome_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('orders_pkey', ['merchant_id', 'order_id'])
    .addForeignKeyConstraint('orders_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('orders_level_check', sql`level in ('low', 'elevated', 'high')`)
    .addCheckConstraint('orders_recommendation_check', sql`recommendation in ('proceed', 'review', 'hold')`)
    .addCheckConstraint('orders_outcome_check', sql`outcome in ('chargeback', 'fraud_confirmed', 'legitimate')`)
    .execute()
  // VELOCITY_SHIP_TO: the buyers shipping to one place in a window; VELOCITY_BUYER: one buyer's orders.
  await db.schema.createIndex('orders_ship_to_idx').on('orders').columns(['merchant_id', 'ship_to_key', 'ordered_at']).execute()
  await db.schema.createIndex('orders_buyer_idx').on('orders').columns(['merchant_id', 'buyer_key', 'ordered_at']).execute()

  await db.schema
    .createTable('order_feedback')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('order_feedback_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('order_feedback_order_fkey', ['merchant_id', 'order_id'], 'orders', ['merchant_id', 'order_id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('order_feedback_type_check', sql`type in ('chargeback', 'fraud_confirmed', 'legitimate')`)
    .execute()
  await db.schema.createIndex('order_feedback_order_idx').on('order_feedback').columns(['merchant_id', 'order_id', 'created_at']).execute()

  // 過去の不正注文: one row per identifier of an order reported as fraud or charged back. Small
  // (fraud is rare), so a trigram index over it stays cheap.
  await db.schema
    .createTable('fraud_history')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fraud_history_pkey', ['merchant_id', 'kind', 'value', 'order_id'])
    .addForeignKeyConstraint('fraud_history_order_fkey', ['merchant_id', 'order_id'], 'orders', ['merchant_id', 'order_id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('fraud_history_kind_check', sql`kind in ('email', 'email_local', 'phone', 'name', 'kana', 'address')`)
    .execute()
  await sql`create index fraud_history_value_trgm_idx on fraud_history using gin (value gin_trgm_ops)`.execute(db)
  await db.schema.createIndex('fraud_history_order_idx').on('fraud_history').columns(['merchant_id', 'order_id']).execute()

  await db.schema
    .createTable('blocklist_entries')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    // For type ip: the range, so an address is found with >>= (CIDR containment).
    .addColumn('ip_range', sql`cidr`)
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('blocklist_entries_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('blocklist_entries_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addUniqueConstraint('blocklist_entries_value_key', ['merchant_id', 'type', 'normalized'])
    .addCheckConstraint('blocklist_entries_type_check', sql`type in ('email', 'phone', 'name', 'address', 'card_bin', 'ip')`)
    .addCheckConstraint('blocklist_entries_ip_check', sql`(type = 'ip') = (ip_range is not null)`)
    .execute()
  await db.schema.createIndex('blocklist_entries_created_idx').on('blocklist_entries').columns(['merchant_id', 'created_at', 'id']).execute()

  // AMOUNT_UNUSUAL: running sums of ln(amount), spread over a few rows per merchant so that
  // concurrent orders do not queue on one row lock; read back as the sum of the shards.
  await db.schema
    .createTable('merchant_amount_stats')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('shard', 'smallint', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('sum_log', 'float8', (c) => c.notNull())
    .addColumn('sum_log_sq', 'float8', (c) => c.notNull())
    .addPrimaryKeyConstraint('merchant_amount_stats_pkey', ['merchant_id', 'shard'])
    .addForeignKeyConstraint('merchant_amount_stats_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .execute()

  await db.schema
    .createTable('shipment_checks')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('score', 'smallint', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('shipment_checks_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('shipment_checks_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('shipment_checks_order_idx').on('shipment_checks').columns(['merchant_id', 'order_id', 'created_at']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shipment_checks').execute()
  await db.schema.dropTable('merchant_amount_stats').execute()
  await db.schema.dropTable('blocklist_entries').execute()
  await db.schema.dropTable('fraud_history').execute()
  await db.schema.dropTable('order_feedback').execute()
  await db.schema.dropTable('orders').execute()
}
