// Decisions merchants steer and replay. `rulesets`: a merchant's rule versions (numbered per
// merchant, immutable once written; a draft until first published). `ruleset_publications`:
// every publish, shadow and shadow-clear appended, never edited, so history is never lost; the
// merchant row names the live and shadow versions. `orders` gain what a decision was computed
// from (features), how (trace), under which merchant version, and the shadow version's outcome.
// `backtests`: a version evaluated over a period's stored features, claimed like other jobs.
import { sql, type Kysely } from 'kysely'

const OLD_FULL = ['orders:score', 'orders:feedback', 'shipments:check', 'addresses:match', 'lists:read', 'lists:write', 'webhooks:manage', 'personal-data:erase']
const NEW_SCOPES = ['orders:read', 'rules:read', 'rules:draft', 'rules:publish']

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rulesets')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    // The API key that wrote it (null: the operator).
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_by', 'uuid')
    .addColumn('published_at', 'timestamptz')
    .addPrimaryKeyConstraint('rulesets_pkey', ['merchant_id', 'version'])
    .addForeignKeyConstraint('rulesets_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('rulesets_status_check', sql`status in ('draft', 'published')`)
    .addCheckConstraint('rulesets_version_check', sql`version > 0`)
    .execute()

  await db.schema
    .createTable('ruleset_publications')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'bigserial', (c) => c.notNull())
    // Null for shadow_cleared.
    .addColumn('version', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key_id', 'uuid')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ruleset_publications_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('ruleset_publications_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('ruleset_publications_kind_check', sql`kind in ('live', 'shadow', 'shadow_cleared')`)
    .execute()

  // Per rule of a version, live or shadow: orders evaluated, matched, errored, and the last error
  // (added to in batches by each instance, so a busy rule costs no write per order).
  await db.schema
    .createTable('ruleset_rule_counts')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('evaluated', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('matched', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addPrimaryKeyConstraint('ruleset_rule_counts_pkey', ['merchant_id', 'version', 'rule_id', 'role'])
    .addForeignKeyConstraint('ruleset_rule_counts_ruleset_fkey', ['merchant_id', 'version'], 'rulesets', ['merchant_id', 'version'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('ruleset_rule_counts_role_check', sql`role in ('live', 'shadow')`)
    .execute()

  await sql`alter table merchants
    add column live_ruleset_version integer,
    add column shadow_ruleset_version integer,
    add column publish_requires_second_key boolean not null default false`.execute(db)

  await sql`alter table orders
    add column features jsonb,
    add column trace jsonb,
    add column merchant_ruleset_version integer,
    add column shadow jsonb`.execute(db)
  // Backtests and replays walk a merchant's orders by when they were placed.
  await db.schema.createIndex('orders_ordered_at_idx').on('orders').columns(['merchant_id', 'ordered_at', 'order_id']).execute()

  await db.schema
    .createTable('backtests')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    // The version evaluated, or null with `ruleset` holding an unsaved one.
    .addColumn('version', 'integer')
    .addColumn('ruleset', 'jsonb')
    .addColumn('from_at', 'timestamptz', (c) => c.notNull())
    .addColumn('to_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('total', 'integer')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    // Where the walk stands (ordered_at, order_id of the last order evaluated) and the sums so far.
    .addColumn('cursor', 'jsonb')
    .addColumn('partial', 'jsonb')
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('lease_owner', 'uuid')
    .addColumn('leased_until', 'timestamptz')
    .addPrimaryKeyConstraint('backtests_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint('backtests_merchant_id_fkey', ['merchant_id'], 'merchants', ['id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('backtests_status_check', sql`status in ('queued', 'running', 'done', 'failed')`)
    .execute()
  await db.schema.createIndex('backtests_claim_idx').on('backtests').columns(['status', 'created_at']).execute()

  // Keys that held every scope (the full preset) keep holding every scope.
  await sql`update api_keys set scopes = scopes || ${sql.val(NEW_SCOPES)}::text[]
    where scopes @> ${sql.val(OLD_FULL)}::text[]`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const s of NEW_SCOPES) await sql`update api_keys set scopes = array_remove(scopes, ${s})`.execute(db)
  await db.schema.dropTable('backtests').execute()
  await db.schema.dropIndex('orders_ordered_at_idx').execute()
  await sql`alter table orders drop column features, drop column trace, drop column merchant_ruleset_version, drop column shadow`.execute(db)
  await sql`alter table merchants drop column live_ruleset_version, drop column shadow_ruleset_version, drop column publish_requires_second_key`.execute(db)
  await db.schema.dropTable('ruleset_rule_counts').execute()
  await db.schema.dropTable('ruleset_publications').execute()
  await db.schema.dropTable('rulesets').execute()
}
