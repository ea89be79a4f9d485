// Table types for Kysely. SQL names are snake_case; API shapes are mapped at the edge.
import type { ColumnType, Generated } from 'kysely'
import type { DecisionTrace, ShadowOutcome } from '../domain/rules/decide.js'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import type { DecisionFeatures } from '../domain/scoring/features.js'
import type { BlocklistType } from '../domain/identity/blocklist-value.js'
import type { HistoryKind, Identifier } from '../domain/scoring/identities.js'
import type { FeedbackType } from '../domain/scoring/labels.js'
import type { Level, Recommendation } from '../domain/scoring/score.js'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export interface MerchantsTable {
  id: Generated<string>
  name: string
  level_elevated_at: Generated<number>
  level_high_at: Generated<number>
  retention_days: Generated<number>
  live_ruleset_version: ColumnType<number | null, never, number | null>
  shadow_ruleset_version: ColumnType<number | null, never, number | null>
  publish_requires_second_key: Generated<boolean>
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ApiKeysTable {
  id: Generated<string>
  merchant_id: string
  prefix: string
  name: string | null
  key_hash: Buffer
  scopes: string[]
  created_at: CreatedAt
  expires_at: Date | null
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface FraudAddressImportsTable {
  id: Generated<string>
  name: string
  status: ColumnType<'running' | 'done' | 'failed', 'running' | 'done' | 'failed' | undefined, 'running' | 'done' | 'failed'>
  encoding: string | null
  started_at: CreatedAt
  finished_at: Date | null
  lines: Generated<number>
  inserted: Generated<number>
  duplicates: Generated<number>
  rejected: Generated<number>
  errors: ColumnType<ImportLineError[], string | undefined, string>
  failure: string | null
}

export type ImportLineError = { line: number; field: string; reason: string }

export interface FraudAddressesTable {
  id: ColumnType<string, never, never>
  import_id: string | null
  issuer: string
  reported_on: ColumnType<string, string, string>
  prefecture: string
  city: string
  town: string
  block: string
  room: string | null
  building: string | null
  norm_prefecture: string
  norm_city: string
  norm_town: string
  norm_block: string
  norm_room: string | null
  match_key: string
  room_key: string | null
  town_key: string
  city_key: string
  dedupe_hash: Buffer
  created_at: CreatedAt
}

export interface AddressMatchesTable {
  merchant_id: string
  id: Generated<string>
  order_id: string
  result: 'full' | 'partial' | 'none'
  count: number
  created_at: CreatedAt
}

export type BatchStatus = 'queued' | 'running' | 'done' | 'failed'

export interface AddressMatchBatchesTable {
  merchant_id: string
  id: Generated<string>
  status: ColumnType<BatchStatus, BatchStatus | undefined, BatchStatus>
  source: 'csv' | 'json'
  encoding: string | null
  total_rows: number
  processed_rows: Generated<number>
  full_count: Generated<number>
  partial_count: Generated<number>
  none_count: Generated<number>
  error_count: Generated<number>
  created_at: CreatedAt
  started_at: Date | null
  finished_at: Date | null
  lease_owner: string | null
  lease_until: Date | null
  failure: string | null
}

export type Judgments = { prefecture: string; city: string; town: string; block: string; room: string; building: string }

export interface AddressMatchBatchRowsTable {
  merchant_id: string
  batch_id: string
  line: number
  order_id: string | null
  email: string | null
  prefecture: string | null
  city: string | null
  town: string | null
  block: string | null
  room: string | null
  building: string | null
  result: 'full' | 'partial' | 'none' | null
  count: number | null
  judgments: ColumnType<Judgments | null, string | null, string | null>
  error_field: string | null
  error_reason: string | null
}

export type { Level, Recommendation } from '../domain/scoring/score.js'
export type { FeedbackType } from '../domain/scoring/labels.js'

/** An order's normalized identifiers, kept so feedback can file them in the fraud history. */
export type OrderIdentities = Identifier[]
export type { HistoryKind } from '../domain/scoring/identities.js'

export interface OrdersTable {
  merchant_id: string
  order_id: string
  request_hash: Buffer
  ordered_at: ColumnType<Date, Date | string, never>
  amount: ColumnType<number, number, never>
  payment_method: string
  buyer_key: string
  buyer_email: string | null
  buyer_name: string | null
  ship_to_key: string
  ship_to_match_key: string | null
  identities: ColumnType<OrderIdentities, string, never>
  score: number
  level: Level
  recommendation: Recommendation
  ruleset_version: string
  response: ColumnType<unknown, string, never>
  outcome: FeedbackType | null
  outcome_at: Date | null
  /** What the decision was computed from (null: scored before decisions were recorded). */
  features: ColumnType<DecisionFeatures | null, string | null, string | null>
  trace: ColumnType<DecisionTrace | null, string | null, string | null>
  merchant_ruleset_version: ColumnType<number | null, number | null, never>
  /** The shadow version's outcome beside the live one, never answered. */
  shadow: ColumnType<ShadowOutcome | null, string | null, string | null>
  created_at: CreatedAt
}

export interface OrderFeedbackTable {
  merchant_id: string
  id: Generated<string>
  order_id: string
  type: FeedbackType
  note: string | null
  created_at: CreatedAt
}

export interface FraudHistoryTable {
  merchant_id: string
  kind: HistoryKind
  value: string
  order_id: string
}

export type { BlocklistType } from '../domain/identity/blocklist-value.js'

export interface BlocklistEntriesTable {
  merchant_id: string
  id: Generated<string>
  type: BlocklistType
  value: string
  normalized: string
  ip_range: string | null
  note: string | null
  created_at: CreatedAt
}

export interface MerchantAmountStatsTable {
  merchant_id: string
  shard: number
  n: ColumnType<number, number, number>
  sum_log: number
  sum_log_sq: number
}

export interface ShipmentChecksTable {
  merchant_id: string
  id: Generated<string>
  order_id: string
  carrier: string | null
  tracking_number: string | null
  score: number
  level: Level
  recommendation: Recommendation
  response: ColumnType<unknown, string, never>
  /** SHA-256 of the request body (sorted keys): a same-body retry within the window replays. */
  request_hash: Buffer | null
  created_at: CreatedAt
}

export interface IdempotencyKeysTable {
  /** A merchant's id, or 'operator'. */
  owner: string
  key: string
  fingerprint: Buffer
  claim: string
  locked_until: Date
  response_status: number | null
  response_headers: Record<string, string> | null
  response_body: string | null
  created_at: CreatedAt
  expires_at: Date
}

export type WebhookMode = 'immediate' | 'digest'
export type DeliveryStatus = 'pending' | 'delivered' | 'failed'

export interface WebhookEndpointsTable {
  merchant_id: string
  id: Generated<string>
  url: string
  min_level: 'elevated' | 'high'
  mode: WebhookMode
  window_start: Generated<string>
  window_end: Generated<string>
  secret: string
  previous_secret: string | null
  previous_secret_until: Date | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** The circuit breaker: failed attempts in a row, and until when nothing is sent (null: closed). */
  consecutive_failures: Generated<number>
  circuit_open_until: Date | null
}

export interface WebhookEventsTable {
  merchant_id: string
  id: Generated<string>
  type: string
  data: ColumnType<unknown, string, never>
  created_at: CreatedAt
}

export interface WebhookDeliveriesTable {
  merchant_id: string
  id: Generated<string>
  endpoint_id: string
  event_id: string | null
  digest_slot: Date | null
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>
  attempts: Generated<number>
  next_attempt_at: ColumnType<Date, Date | string, Date | string>
  first_attempt_at: Date | null
  lease_until: Date | null
  lease_owner: string | null
  last_status: number | null
  last_error: string | null
  delivered_at: Date | null
  created_at: CreatedAt
  /** A digest's content is fixed from the moment a worker first takes it. */
  sealed_at: Date | null
}

export interface WebhookDigestItemsTable {
  merchant_id: string
  delivery_id: string
  event_id: string
}

export interface WebhookAttemptsTable {
  merchant_id: string
  delivery_id: string
  attempt: number
  started_at: Date
  latency_ms: number
  status: number | null
  error: string | null
}

export type ErasureKind = 'email' | 'phone' | 'name_address'

export interface PersonalDataErasuresTable {
  merchant_id: string
  id: Generated<string>
  kind: ErasureKind
  salt: Buffer
  subject_hash: Buffer
  touched: ColumnType<Record<string, number>, string, never>
  created_at: CreatedAt
}

export interface RulesetsTable {
  merchant_id: string
  version: number
  body: ColumnType<RulesetBody, string, never>
  status: ColumnType<'draft' | 'published', 'draft' | 'published' | undefined, 'published'>
  created_by: string | null
  created_at: CreatedAt
  published_by: string | null
  published_at: Date | null
}

export interface RulesetPublicationsTable {
  merchant_id: string
  id: ColumnType<string, never, never>
  version: number | null
  kind: 'live' | 'shadow' | 'shadow_cleared'
  key_id: string | null
  at: CreatedAt
}

export interface RulesetRuleCountsTable {
  merchant_id: string
  version: number
  rule_id: string
  role: 'live' | 'shadow'
  evaluated: ColumnType<string, number | string | undefined, number | string>
  matched: ColumnType<string, number | string | undefined, number | string>
  errors: ColumnType<string, number | string | undefined, number | string>
  last_error: string | null
  last_error_at: Date | null
}

export interface BacktestsTable {
  merchant_id: string
  id: Generated<string>
  version: number | null
  ruleset: ColumnType<RulesetBody | null, string | null, never>
  from_at: ColumnType<Date, Date | string, never>
  to_at: ColumnType<Date, Date | string, never>
  status: ColumnType<BatchStatus, BatchStatus | undefined, BatchStatus>
  total: number | null
  done: Generated<number>
  cursor: ColumnType<unknown, string | null, string | null>
  partial: ColumnType<unknown, string | null, string | null>
  result: ColumnType<unknown, string | null, string | null>
  error: string | null
  created_by: string | null
  created_at: CreatedAt
  started_at: Date | null
  finished_at: Date | null
  lease_owner: string | null
  leased_until: Date | null
}

export interface DB {
  rulesets: RulesetsTable
  ruleset_publications: RulesetPublicationsTable
  ruleset_rule_counts: RulesetRuleCountsTable
  backtests: BacktestsTable
  address_match_batches: AddressMatchBatchesTable
  address_match_batch_rows: AddressMatchBatchRowsTable
  address_matches: AddressMatchesTable
  blocklist_entries: BlocklistEntriesTable
  fraud_history: FraudHistoryTable
  idempotency_keys: IdempotencyKeysTable
  merchant_amount_stats: MerchantAmountStatsTable
  order_feedback: OrderFeedbackTable
  orders: OrdersTable
  shipment_checks: ShipmentChecksTable
  webhook_attempts: WebhookAttemptsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_digest_items: WebhookDigestItemsTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_events: WebhookEventsTable
  merchants: MerchantsTable
  api_keys: ApiKeysTable
  fraud_address_imports: FraudAddressImportsTable
  fraud_addresses: FraudAddressesTable
  personal_data_erasures: PersonalDataErasuresTable
}
