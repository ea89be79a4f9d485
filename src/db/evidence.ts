// Runs an order's evidence lookups (the probes come from domain/scoring/gather.ts): the ship-to
// against the fraud-address store, the blocklist, the fraud history, the velocity windows and
// the merchant's amount statistics — for scoring in one statement with the merchant's settings
// and an earlier call's answer, for shipments the destination's lookups only. Rows, not judgments.
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely'
import type { EvidenceRows, Lookups } from '../domain/scoring/gather.js'
import type { HistoryRow } from '../domain/scoring/history.js'
import type { FanoutEndpoint } from '../domain/webhooks/fanout.js'
import { blocklistHitsQuery, findBlocklistHits } from './blocklist.js'
import { findFraudAddressesByKeys } from './fraud-addresses.js'
import { findHistory, historyQuery } from './fraud-history.js'
import { amountStatsQuery, buyerAmountsQuery, buyersShippingToQuery, storedOrderQuery } from './orders.js'
import type { DB } from './types.js'
import { endpointsForFanoutQuery } from './webhook-endpoints.js'

/** Where the velocity windows look: this order's buyer and ship-to keys around its time, how far, from which amount. */
export type WindowKeys = {
  orderId: string; orderedAt: Date; buyerKey: string; shipToKey: string
  windows: { velocityShipToHours: number; velocityBuyerHours: number; highValueMinAmount: number }
}

export type MerchantDecisionRow = {
  level_elevated_at: number
  level_high_at: number
  live_ruleset_version: number | null
  shadow_ruleset_version: number | null
}

export type ScoringRows = {
  merchant: MerchantDecisionRow | null
  /** The order already stored under this orderId, for a replay. */
  stored: { requestHash: string; response: unknown } | null
  evidence: EvidenceRows
  /** The merchant's webhook endpoints, for the outbox. */
  endpoints: FanoutEndpoint[]
}

type Row = {
  merchant: MerchantDecisionRow | null
  stored: { order_id: string; request_hash: string; response: unknown } | null
  fraud: EvidenceRows['fraud']
  blocklist: EvidenceRows['blocklist']
  history: HistoryRow[]
  ship_to: EvidenceRows['shipTo']
  amounts: EvidenceRows['amounts']
  buyer: EvidenceRows['buyer']
  endpoints: FanoutEndpoint[]
}

const rows = (q: Expression<unknown> | RawBuilder<unknown>) => sql`(select coalesce(json_agg(x), '[]'::json) from (${q}) x)`
const row = (q: Expression<unknown>) => sql`(select row_to_json(x) from (${q}) x)`
const NONE = sql`'[]'::json`

/**
 * The merchant's settings, the order stored under this orderId (a replay), and every lookup of
 * the evidence, in one statement: one round trip however many lookups an order takes.
 */
export async function findScoringRows (
  db: Kysely<DB>, merchantId: string, lookups: Lookups, keys: WindowKeys, opts: { trigramIndex: boolean }
): Promise<ScoringRows> {
  const w = keys.windows
  const { cod } = lookups
  const { rows: [found] } = await sql<Row>`select
    ${row(db.selectFrom('merchants').select(['level_elevated_at', 'level_high_at', 'live_ruleset_version', 'shadow_ruleset_version']).where('id', '=', merchantId))} as merchant,
    ${row(storedOrderQuery(db, merchantId, keys.orderId))} as stored,
    ${lookups.fraudKeys.length === 0 ? NONE : rows(db.selectFrom('fraud_addresses').select(['match_key', 'room_key']).where('match_key', 'in', lookups.fraudKeys).limit(1000))} as fraud,
    ${lookups.blocklist.length === 0 && lookups.ip === null ? NONE : rows(blocklistHitsQuery(db, merchantId, lookups.blocklist, lookups.ip))} as blocklist,
    ${lookups.history.length === 0 ? NONE : rows(historyQuery(merchantId, lookups.history, opts.trigramIndex))} as history,
    ${cod ? NONE : rows(buyersShippingToQuery(db, merchantId, keys.shipToKey, keys.orderedAt, w.velocityShipToHours))} as ship_to,
    ${row(amountStatsQuery(db, merchantId))} as amounts,
    ${cod ? NONE : rows(buyerAmountsQuery(db, merchantId, keys.buyerKey, keys.orderedAt, w.velocityBuyerHours, w.highValueMinAmount))} as buyer,
    ${rows(endpointsForFanoutQuery(db, merchantId))} as endpoints
  `.execute(db)
  if (found === undefined) throw new Error('the scoring query answered no row')
  return {
    merchant: found.merchant,
    stored: found.stored === null ? null : { requestHash: found.stored.request_hash, response: found.stored.response },
    evidence: { fraud: found.fraud, blocklist: found.blocklist, history: found.history, shipTo: found.ship_to, amounts: found.amounts, buyer: found.buyer },
    endpoints: found.endpoints,
  }
}

/** The destination's lookups at shipping time: the store, the blocklist and the history. */
export async function findDestinationRows (
  db: Kysely<DB>, merchantId: string, lookups: Lookups, opts: { trigramIndex: boolean }
): Promise<Pick<EvidenceRows, 'fraud' | 'blocklist' | 'history'>> {
  const [fraud, blocklist, history] = await Promise.all([
    lookups.fraudKeys.length === 0 ? [] : findFraudAddressesByKeys(db, lookups.fraudKeys),
    findBlocklistHits(db, merchantId, lookups.blocklist, lookups.ip),
    findHistory(db, merchantId, lookups.history, opts.trigramIndex),
  ])
  return { fraud, blocklist, history }
}

/** The merchant's thresholds and live and shadow versions, for a decision outside scoring. */
export async function findMerchantDecisionRow (db: Kysely<DB>, merchantId: string): Promise<MerchantDecisionRow | undefined> {
  return db.selectFrom('merchants').select(['level_elevated_at', 'level_high_at', 'live_ruleset_version', 'shadow_ruleset_version'])
    .where('id', '=', merchantId).executeTakeFirst()
}
