// What a merchant rule's `when` sees: the roots of the CEL vocabulary, built from a decision's
// stored features and the built-in verdict, so a replay, a what-if and a backtest hand the
// rules exactly what the live decision did. Numbers are JavaScript numbers here; the CEL engine
// (cel.ts) turns whole numbers into CEL ints.
import type { DecisionFeatures, Identities } from '../scoring/features.js'
import { tokyoHour } from '../scoring/features.js'
import type { OrderInput } from '../scoring/order.js'
import { unusualAbove } from '../scoring/signals/amount-unusual.js'

/** The evidence, flattened for rules. */
export type FeatureVariables = {
  /** 不正住所照合 of the ship-to: 'full' | 'partial' | 'none'. */
  addressMatch: string
  /** Fraud-address records hit. */
  addressMatchCount: number
  /** Request fields that hit the merchant's blocklist: 'buyer.email', 'shipTo.address' … */
  blocklistFields: string[]
  /** Fields matching an earlier fraud order of this merchant exactly (一致) … */
  historyMatchFields: string[]
  /** … and by resemblance (類似). */
  historySimilarFields: string[]
  /** Distinct buyers shipping to this ship-to in the velocity window, this order included. */
  shipToBuyers: number
  /** This buyer's high-value orders in the window, this one included (0: this one is not high-value). */
  buyerHighValueOrders: number
  /** The merchant's orders before this one. */
  merchantOrders: number
  /** The merchant's typical order (geometric mean, JPY), 0 until 30 orders are known. */
  typicalAmount: number
  /** amount / typicalAmount, 0 while typicalAmount is 0. */
  amountRatio: number
}

export type RuleVariables = {
  order: OrderInput
  identities: Identities
  features: FeatureVariables
  /** Codes of the built-in reasons that fired. */
  reasons: string[]
  /** The built-in score (0–100) before merchant rules, after the floors. */
  score: number
  /** Hour the order was placed, Asia/Tokyo, 0–23. */
  hour: number
  /** The merchant's lists the order is on: the blocklist entry types that hit ('email', 'phone', …). */
  lists: { blocklist: string[] }
}

export function featureVariables (f: DecisionFeatures): FeatureVariables {
  const e = f.evidence
  const typical = unusualAbove(e.amounts)?.typical ?? 0
  return {
    addressMatch: e.fraudAddress.result,
    addressMatchCount: e.fraudAddress.count,
    blocklistFields: [...new Set(e.blocklist.map((h) => h.field))],
    historyMatchFields: [...new Set(e.history.filter((h) => h.how === 'exact').map((h) => h.field))],
    historySimilarFields: [...new Set(e.history.filter((h) => h.how === 'similar').map((h) => h.field))],
    shipToBuyers: e.shipToBuyers,
    buyerHighValueOrders: e.buyerHighValueOrders,
    merchantOrders: e.amounts.n,
    typicalAmount: Math.round(typical),
    amountRatio: typical === 0 ? 0 : f.order.amount / typical,
  }
}

export function ruleVariables (f: DecisionFeatures, builtin: { reasons: readonly string[]; score: number }): RuleVariables {
  return {
    order: f.order,
    identities: f.identities,
    features: featureVariables(f),
    reasons: [...builtin.reasons],
    score: builtin.score,
    hour: tokyoHour(f.orderedAt),
    lists: { blocklist: [...new Set(f.evidence.blocklist.map((h) => h.type))] },
  }
}
