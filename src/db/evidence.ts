// Gathers what the database knows about one order (the scoring evidence): the ship-to against
// the fraud-address store, the blocklist, the fraud history, velocity windows and the
// merchant's amount statistics — for scoring in one statement, for shipments piece by piece.
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely'
import { matchAddress } from '../domain/address/match.js'
import { unusualAbove } from '../domain/scoring/signals/amount-unusual.js'
import { blocklistHits, blocklistProbes } from '../domain/scoring/blocklist-probes.js'
import { NO_EVIDENCE, type AmountStats, type Evidence } from '../domain/scoring/evidence.js'
import { historyProbes, judgeHistory } from '../domain/scoring/history.js'
import { addressKeys, type Identifier } from '../domain/scoring/identities.js'
import type { SignalContext } from '../domain/scoring/order.js'
import { RULESET } from '../domain/scoring/ruleset.js'
import { distinctBuyers } from '../domain/scoring/velocity-buyers.js'
import { blocklistHitsQuery, findBlocklistHits } from './blocklist.js'
import { findFraudAddressesByKeys } from './fraud-addresses.js'
import { findHistory, historyQuery, type HistoryRow } from './fraud-history.js'
import { amountStatsQuery, buyerAmountsQuery, buyersShippingToQuery, storedOrderQuery } from './orders.js'
import type { BlocklistType, DB } from './types.js'
import { endpointsForFanoutQuery } from './webhook-endpoints.js'
import type { FanoutEndpoint } from '../domain/webhooks/fanout.js'

export type OrderKeys = {
  merchantId: string
  orderedAt: Date
  buyerKey: string
  buyerEmail: string | null
  buyerName: string | null
  shipToKey: string
  identifiers: Identifier[]
}

/** The ship-to against the store (不正住所照合): full / partial / none with the count of rows hit. */
export async function fraudAddressOf (db: Kysely<DB>, ctx: SignalContext): Promise<Evidence['fraudAddress']> {
  if (ctx.shipToAddress === null) return { result: 'none', count: 0 }
  const rows = await findFraudAddressesByKeys(db, ctx.shipToAddress.lookupKeys)
  const found = matchAddress(ctx.shipToAddress, rows.map((r) => ({ matchKey: r.match_key, roomKey: r.room_key })))
  return { result: found.result, count: found.count }
}

export async function blocklistOf (db: Kysely<DB>, merchantId: string, ctx: SignalContext): Promise<Evidence['blocklist']> {
  const { probes, ip } = blocklistProbes(ctx)
  const found = await findBlocklistHits(db, merchantId, probes.map((p) => ({ type: p.type, normalized: p.normalized })), ip)
  return blocklistHits(probes, ip, found)
}

/** Every reading of the order's addresses, searched exactly (1-2-3-101 is also 1-2-3 room 101). */
function extraAddressKeys (ctx: SignalContext): Array<{ value: string; field: string }> {
  return [
    ...(ctx.order.shipTo !== undefined && ctx.shipToAddress !== null ? addressKeys(ctx.shipToAddress).map((value) => ({ value, field: 'shipTo.address' })) : []),
    ...(ctx.buyerAddress !== null ? addressKeys(ctx.buyerAddress).map((value) => ({ value, field: 'buyer.address' })) : []),
  ]
}

export async function historyOf (db: Kysely<DB>, merchantId: string, ctx: SignalContext, ids: readonly Identifier[], trigramIndex = true): Promise<Evidence['history']> {
  const probes = historyProbes(ids, extraAddressKeys(ctx))
  return judgeHistory(probes, await findHistory(db, merchantId, probes, trigramIndex))
}

type ScoringRow = {
  merchant: { level_elevated_at: number; level_high_at: number } | null
  stored: { order_id: string; request_hash: string; response: unknown } | null
  fraud: Array<{ match_key: string; room_key: string | null }>
  blocklist: Array<{ type: BlocklistType; normalized: string }>
  history: HistoryRow[]
  ship_to: Array<{ buyer_email: string | null; buyer_name: string | null }>
  amounts: AmountStats
  buyer: Array<{ amount: number }>
  endpoints: FanoutEndpoint[]
}

export type ScoringFacts = {
  thresholds: { elevated: number; high: number } | null
  /** The order already stored under this orderId, for a replay. */
  stored: { requestHash: string; response: unknown } | null
  evidence: Evidence
  /** The merchant's webhook endpoints, for the outbox. */
  endpoints: FanoutEndpoint[]
}

const rows = (q: Expression<unknown> | RawBuilder<unknown>) => sql`(select coalesce(json_agg(x), '[]'::json) from (${q}) x)`
const row = (q: Expression<unknown>) => sql`(select row_to_json(x) from (${q}) x)`
const NONE = sql`'[]'::json`

/**
 * The merchant's thresholds, the order stored under this orderId (a replay), and everything
 * the signals need, in one statement: one round trip however many lookups an order takes.
 * Cash on delivery looks at the blocklist only.
 */
export async function gatherScoringFacts (
  db: Kysely<DB>, ctx: SignalContext, keys: OrderKeys & { orderId: string }, opts: { trigramIndex: boolean } = { trigramIndex: true }
): Promise<ScoringFacts> {
  const { merchantId, orderedAt } = keys
  const cod = ctx.order.paymentMethod === 'cod'
  const w = RULESET.windows
  const { probes: blocklist, ip } = blocklistProbes(ctx)
  const lookupKeys = cod || ctx.shipToAddress === null ? [] : ctx.shipToAddress.lookupKeys
  const history = cod ? [] : historyProbes(keys.identifiers, extraAddressKeys(ctx))
  const { rows: [found] } = await sql<ScoringRow>`select
    ${row(db.selectFrom('merchants').select(['level_elevated_at', 'level_high_at']).where('id', '=', merchantId))} as merchant,
    ${row(storedOrderQuery(db, merchantId, keys.orderId))} as stored,
    ${lookupKeys.length === 0 ? NONE : rows(db.selectFrom('fraud_addresses').select(['match_key', 'room_key']).where('match_key', 'in', lookupKeys).limit(1000))} as fraud,
    ${blocklist.length === 0 && ip === null ? NONE : rows(blocklistHitsQuery(db, merchantId, blocklist.map((p) => ({ type: p.type, normalized: p.normalized })), ip))} as blocklist,
    ${history.length === 0 ? NONE : rows(historyQuery(merchantId, history, opts.trigramIndex))} as history,
    ${cod ? NONE : rows(buyersShippingToQuery(db, merchantId, keys.shipToKey, orderedAt, w.velocityShipToHours))} as ship_to,
    ${row(amountStatsQuery(db, merchantId))} as amounts,
    ${cod ? NONE : rows(buyerAmountsQuery(db, merchantId, keys.buyerKey, orderedAt, w.velocityBuyerHours, w.highValueMinAmount))} as buyer,
    ${rows(endpointsForFanoutQuery(db, merchantId))} as endpoints
  `.execute(db)
  if (found === undefined) throw new Error('the scoring query answered no row')
  const hits = blocklistHits(blocklist, ip, found.blocklist)
  const thresholds = found.merchant === null ? null : { elevated: found.merchant.level_elevated_at, high: found.merchant.level_high_at }
  const stored = found.stored === null ? null : { requestHash: found.stored.request_hash, response: found.stored.response }
  if (cod) return { thresholds, stored, evidence: { ...NO_EVIDENCE, blocklist: hits }, endpoints: found.endpoints }
  const fraud = ctx.shipToAddress === null
    ? { result: 'none' as const, count: 0 }
    : matchAddress(ctx.shipToAddress, found.fraud.map((r) => ({ matchKey: r.match_key, roomKey: r.room_key })))
  // High-value: from the floor, and at least twice the merchant's typical order once it is known.
  const amounts = found.amounts
  const typical = unusualAbove(amounts)?.typical ?? 0
  const highValue = Math.max(w.highValueMinAmount, typical * 2)
  const buyerHighValueOrders = ctx.order.amount >= highValue ? 1 + found.buyer.filter((b) => b.amount >= highValue).length : 0
  return {
    thresholds,
    stored,
    evidence: {
      fraudAddress: { result: fraud.result, count: fraud.count },
      blocklist: hits,
      history: judgeHistory(history, found.history),
      shipToBuyers: distinctBuyers([...found.ship_to, { buyer_email: keys.buyerEmail, buyer_name: keys.buyerName }]),
      buyerHighValueOrders,
      amounts,
    },
    endpoints: found.endpoints,
  }
}
