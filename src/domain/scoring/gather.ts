// The pure halves of gathering an order's evidence: what to look it up by (the probes), and
// what the rows the database found mean (the Evidence the signals read). The database half,
// one statement that runs the lookups, is db/evidence.ts; the decisions layer joins the two.
import { matchAddress } from '../address/match.js'
import { blocklistHits, blocklistProbes, type BlocklistProbe } from './blocklist-probes.js'
import { NO_EVIDENCE, type AmountStats, type Evidence } from './evidence.js'
import { historyProbes, judgeHistory, type HistoryProbe, type HistoryRow } from './history.js'
import { addressKeys, type Identifier } from './identities.js'
import type { SignalContext } from './order.js'
import { RULESET } from './ruleset.js'
import { unusualAbove } from './signals/amount-unusual.js'
import { distinctBuyers, type BuyerMark } from './velocity-buyers.js'

export type Lookups = {
  /** Cash on delivery: the blocklist only (seed 002). */
  cod: boolean
  /** The ship-to's keys in the fraud-address store (不正住所照合). */
  fraudKeys: string[]
  blocklist: BlocklistProbe[]
  ip: string | null
  history: HistoryProbe[]
}

/** What the lookups found, as the database returns it. */
export type EvidenceRows = {
  fraud: ReadonlyArray<{ match_key: string; room_key: string | null }>
  blocklist: ReadonlyArray<{ type: string; normalized: string }>
  history: readonly HistoryRow[]
  /** The buyers of orders to this ship-to in the velocity window. */
  shipTo: readonly BuyerMark[]
  amounts: AmountStats
  /** This buyer's high-value amounts in the window. */
  buyer: ReadonlyArray<{ amount: number }>
}

/** Every reading of the order's addresses, searched exactly (1-2-3-101 is also 1-2-3 room 101). */
function extraAddressKeys (ctx: SignalContext): Array<{ value: string; field: string }> {
  return [
    ...(ctx.order.shipTo !== undefined && ctx.shipToAddress !== null ? addressKeys(ctx.shipToAddress).map((value) => ({ value, field: 'shipTo.address' })) : []),
    ...(ctx.buyerAddress !== null ? addressKeys(ctx.buyerAddress).map((value) => ({ value, field: 'buyer.address' })) : []),
  ]
}

export function lookupsOf (ctx: SignalContext, ids: readonly Identifier[], paymentMethod: string = ctx.order.paymentMethod): Lookups {
  const cod = paymentMethod === 'cod'
  const { probes, ip } = blocklistProbes(ctx)
  return {
    cod,
    fraudKeys: cod || ctx.shipToAddress === null ? [] : ctx.shipToAddress.lookupKeys,
    blocklist: probes,
    ip,
    history: cod ? [] : historyProbes(ids, extraAddressKeys(ctx)),
  }
}

/** The ship-to against the store: full / partial / none with the count of records hit. */
export function fraudAddressEvidence (ctx: SignalContext, rows: EvidenceRows['fraud']): Evidence['fraudAddress'] {
  if (ctx.shipToAddress === null) return { result: 'none', count: 0 }
  const found = matchAddress(ctx.shipToAddress, rows.map((r) => ({ matchKey: r.match_key, roomKey: r.room_key })))
  return { result: found.result, count: found.count }
}

/**
 * The evidence from what was found. `self` is this order's buyer, counted among the ship-to's
 * buyers. High-value: from the floor, and at least twice the merchant's typical order once known.
 */
export function judgeEvidence (ctx: SignalContext, lookups: Lookups, rows: EvidenceRows, self: BuyerMark): Evidence {
  const blocklist = blocklistHits(lookups.blocklist, lookups.ip, rows.blocklist)
  if (lookups.cod) return { ...NO_EVIDENCE, blocklist }
  const w = RULESET.windows
  const typical = unusualAbove(rows.amounts)?.typical ?? 0
  const highValue = Math.max(w.highValueMinAmount, typical * 2)
  return {
    fraudAddress: fraudAddressEvidence(ctx, rows.fraud),
    blocklist,
    history: judgeHistory(lookups.history, rows.history),
    shipToBuyers: distinctBuyers([...rows.shipTo, self]),
    buyerHighValueOrders: ctx.order.amount >= highValue ? 1 + rows.buyer.filter((b) => b.amount >= highValue).length : 0,
    amounts: rows.amounts,
  }
}

/** The destination's evidence at shipping time (cash on delivery: the blocklist only). */
export function destinationEvidence (ctx: SignalContext, lookups: Lookups, rows: Pick<EvidenceRows, 'fraud' | 'blocklist' | 'history'>): Pick<Evidence, 'fraudAddress' | 'blocklist' | 'history'> {
  return {
    fraudAddress: lookups.cod ? NO_EVIDENCE.fraudAddress : fraudAddressEvidence(ctx, rows.fraud),
    blocklist: blocklistHits(lookups.blocklist, lookups.ip, rows.blocklist),
    history: lookups.cod ? [] : judgeHistory(lookups.history, rows.history),
  }
}
