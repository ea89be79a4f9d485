// Gathers what the database knows about one order (the scoring evidence), its queries running
// side by side: the ship-to against the fraud-address store, the blocklist, the fraud history,
// velocity windows and the merchant's amount statistics.
import type { Kysely } from 'kysely'
import { matchAddress } from '../domain/address/match.js'
import { unusualAbove } from '../domain/scoring/signals/amount-unusual.js'
import { blocklistHits, blocklistProbes } from '../domain/scoring/blocklist-probes.js'
import { NO_EVIDENCE, type Evidence } from '../domain/scoring/evidence.js'
import { historyProbes, judgeHistory } from '../domain/scoring/history.js'
import { addressKeys, type Identifier } from '../domain/scoring/identities.js'
import type { SignalContext } from '../domain/scoring/order.js'
import { RULESET } from '../domain/scoring/ruleset.js'
import { distinctBuyers } from '../domain/scoring/velocity-buyers.js'
import { findBlocklistHits } from './blocklist.js'
import { findFraudAddressesByKeys } from './fraud-addresses.js'
import { findHistory } from './fraud-history.js'
import { buyerAmounts, buyersShippingTo, readAmountStats } from './orders.js'
import type { DB } from './types.js'

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

export async function historyOf (db: Kysely<DB>, merchantId: string, ctx: SignalContext, ids: readonly Identifier[]): Promise<Evidence['history']> {
  const extra = [
    ...(ctx.order.shipTo !== undefined && ctx.shipToAddress !== null ? addressKeys(ctx.shipToAddress).map((value) => ({ value, field: 'shipTo.address' })) : []),
    ...(ctx.buyerAddress !== null ? addressKeys(ctx.buyerAddress).map((value) => ({ value, field: 'buyer.address' })) : []),
  ]
  const probes = historyProbes(ids, extra)
  return judgeHistory(probes, await findHistory(db, merchantId, probes))
}

/** Everything the signals of a card (or similar) order need; cash on delivery needs only the blocklist. */
export async function gatherEvidence (db: Kysely<DB>, ctx: SignalContext, keys: OrderKeys): Promise<Evidence> {
  const { merchantId, orderedAt } = keys
  if (ctx.order.paymentMethod === 'cod') return { ...NO_EVIDENCE, blocklist: await blocklistOf(db, merchantId, ctx) }
  const w = RULESET.windows
  const [fraudAddress, blocklist, history, shipToRows, amounts, buyerRows] = await Promise.all([
    fraudAddressOf(db, ctx),
    blocklistOf(db, merchantId, ctx),
    historyOf(db, merchantId, ctx, keys.identifiers),
    buyersShippingTo(db, merchantId, keys.shipToKey, orderedAt, w.velocityShipToHours),
    readAmountStats(db, merchantId),
    buyerAmounts(db, merchantId, keys.buyerKey, orderedAt, w.velocityBuyerHours, w.highValueMinAmount),
  ])
  // High-value: from the floor, and at least twice the merchant's typical order once it is known.
  const typical = unusualAbove(amounts)?.typical ?? 0
  const highValue = Math.max(w.highValueMinAmount, typical * 2)
  const buyerHighValueOrders = ctx.order.amount >= highValue ? 1 + buyerRows.filter((a) => a >= highValue).length : 0
  return {
    fraudAddress,
    blocklist,
    history,
    shipToBuyers: distinctBuyers([...shipToRows, { buyer_email: keys.buyerEmail, buyer_name: keys.buyerName }]),
    buyerHighValueOrders,
    amounts,
  }
}
