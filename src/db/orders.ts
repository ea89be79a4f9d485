// Repository for scored orders: the idempotent insert (with the merchant's running amount
// statistics in the same statement), replay lookups, velocity windows and feedback outcomes.
import { sql, type Kysely } from 'kysely'
import type { DecisionTrace, ShadowOutcome } from '../domain/rules/decide.js'
import type { DecisionFeatures } from '../domain/scoring/features.js'
import type { DB, FeedbackType, Level, OrderIdentities, Recommendation } from './types.js'
import { hasDeliveries, outboxCtes, type Fanout } from './webhook-outbox.js'

export type NewOrder = {
  merchant_id: string
  order_id: string
  request_hash: Buffer
  ordered_at: Date
  amount: number
  payment_method: string
  buyer_key: string
  buyer_email: string | null
  buyer_name: string | null
  ship_to_key: string
  ship_to_match_key: string | null
  identities: OrderIdentities
  score: number
  level: Level
  recommendation: Recommendation
  ruleset_version: string
  merchant_ruleset_version: number | null
  response: unknown
  features: DecisionFeatures
  trace: DecisionTrace
  shadow: ShadowOutcome | null
}

/** Concurrent orders of one merchant spread their statistics over this many rows. */
export const AMOUNT_SHARDS = 8

/**
 * Inserts the order unless (merchant, orderId) exists, and adds its amount to the merchant's
 * statistics and its webhook event to the outbox only when it was inserted: one statement, so a
 * replay never counts twice and a stored order never lacks its event.
 */
export async function insertScoredOrder (db: Kysely<DB>, o: NewOrder, fanout: Fanout | null = null): Promise<boolean> {
  const outbox = hasDeliveries(fanout) ? sql`, ${outboxCtes(o.merchant_id, fanout, 'ins')}` : sql``
  const shard = Math.floor(Math.random() * AMOUNT_SHARDS)
  const { rows } = await sql<{ inserted: number }>`
    with ins as (
      insert into orders (merchant_id, order_id, request_hash, ordered_at, amount, payment_method, buyer_key,
        buyer_email, buyer_name, ship_to_key, ship_to_match_key, identities, score, level, recommendation,
        ruleset_version, response, features, trace, merchant_ruleset_version, shadow)
      values (${o.merchant_id}, ${o.order_id}, ${o.request_hash}, ${o.ordered_at}, ${o.amount}, ${o.payment_method},
        ${o.buyer_key}, ${o.buyer_email}, ${o.buyer_name}, ${o.ship_to_key}, ${o.ship_to_match_key},
        ${JSON.stringify(o.identities)}::jsonb, ${o.score}, ${o.level}, ${o.recommendation}, ${o.ruleset_version},
        ${JSON.stringify(o.response)}::jsonb, ${JSON.stringify(o.features)}::jsonb, ${JSON.stringify(o.trace)}::jsonb,
        ${o.merchant_ruleset_version}, ${o.shadow === null ? null : JSON.stringify(o.shadow)}::jsonb)
      on conflict (merchant_id, order_id) do nothing
      returning amount
    ), stats as (
      insert into merchant_amount_stats (merchant_id, shard, n, sum_log, sum_log_sq)
      select ${o.merchant_id}, ${shard}, 1, ln(amount)::float8, (ln(amount) ^ 2)::float8 from ins where amount > 0
      on conflict (merchant_id, shard) do update set
        n = merchant_amount_stats.n + 1,
        sum_log = merchant_amount_stats.sum_log + excluded.sum_log,
        sum_log_sq = merchant_amount_stats.sum_log_sq + excluded.sum_log_sq
    )${outbox}
    select count(*)::int as inserted from ins`.execute(db)
  return rows[0]!.inserted === 1
}

export type StoredOrder = {
  order_id: string
  request_hash: Buffer
  payment_method: string
  ship_to_key: string
  identities: OrderIdentities
  response: unknown
  outcome: FeedbackType | null
  features: DecisionFeatures | null
}

export async function findOrder (db: Kysely<DB>, merchantId: string, orderId: string): Promise<StoredOrder | undefined> {
  return db.selectFrom('orders')
    .select(['order_id', 'request_hash', 'payment_method', 'ship_to_key', 'identities', 'response', 'outcome', 'features'])
    .where('merchant_id', '=', merchantId).where('order_id', '=', orderId)
    .executeTakeFirst()
}

const HOUR_MS = 3_600_000

/** The buyers (e-mail, name) of the orders to one ship-to within `hours` of `at`, at most 500. */
export function buyersShippingToQuery (db: Kysely<DB>, merchantId: string, shipToKey: string, at: Date, hours: number) {
  return db.selectFrom('orders').select(['buyer_email', 'buyer_name'])
    .where('merchant_id', '=', merchantId).where('ship_to_key', '=', shipToKey)
    .where('ordered_at', '>', new Date(at.getTime() - hours * HOUR_MS))
    .where('ordered_at', '<', new Date(at.getTime() + hours * HOUR_MS))
    .limit(500)
}

/** One buyer's order amounts of at least `minAmount` within `hours` of `at`, at most 100. */
export function buyerAmountsQuery (db: Kysely<DB>, merchantId: string, buyerKey: string, at: Date, hours: number, minAmount: number) {
  return db.selectFrom('orders').select(sql<number>`amount::float8`.as('amount'))
    .where('merchant_id', '=', merchantId).where('buyer_key', '=', buyerKey)
    .where('ordered_at', '>', new Date(at.getTime() - hours * HOUR_MS))
    .where('ordered_at', '<', new Date(at.getTime() + hours * HOUR_MS))
    .where('amount', '>=', minAmount)
    .limit(100)
}

/** The merchant's amount statistics: the sum of its shards. */
export function amountStatsQuery (db: Kysely<DB>, merchantId: string) {
  return db.selectFrom('merchant_amount_stats')
    .select([
      sql<number>`coalesce(sum(n), 0)::float8`.as('n'),
      sql<number>`coalesce(sum(sum_log), 0)::float8`.as('sumLog'),
      sql<number>`coalesce(sum(sum_log_sq), 0)::float8`.as('sumLogSq'),
    ])
    .where('merchant_id', '=', merchantId)
}

/** The stored order as a replay needs it. */
export function storedOrderQuery (db: Kysely<DB>, merchantId: string, orderId: string) {
  return db.selectFrom('orders')
    .select(['order_id', sql<string>`encode(request_hash, 'hex')`.as('request_hash'), 'response'])
    .where('merchant_id', '=', merchantId).where('order_id', '=', orderId)
}

/** Records the outcome and files (or withdraws) the order's identifiers in the fraud history. */
export async function recordOutcome (db: Kysely<DB>, merchantId: string, orderId: string, type: FeedbackType): Promise<void> {
  await db.updateTable('orders').set({ outcome: type, outcome_at: sql`now()` as any })
    .where('merchant_id', '=', merchantId).where('order_id', '=', orderId).execute()
  if (type === 'legitimate') {
    await db.deleteFrom('fraud_history').where('merchant_id', '=', merchantId).where('order_id', '=', orderId).execute()
    return
  }
  await sql`
    insert into fraud_history (merchant_id, kind, value, order_id)
    select o.merchant_id, e->>'kind', e->>'value', o.order_id
    from orders o, jsonb_array_elements(o.identities) e
    where o.merchant_id = ${merchantId} and o.order_id = ${orderId}
    on conflict do nothing`.execute(db)
}

/** A stored decision with what it was computed from, for GET /v1/orders/{orderId} and what-ifs. */
export async function findDecision (db: Kysely<DB>, merchantId: string, orderId: string) {
  return db.selectFrom('orders')
    .select(['order_id', 'response', 'features', 'trace', 'shadow', 'merchant_ruleset_version', 'outcome', 'score', 'level', 'recommendation'])
    .where('merchant_id', '=', merchantId).where('order_id', '=', orderId)
    .executeTakeFirst()
}
