// What the database knows about an order, gathered before the pure signals run: the ship-to
// against the fraud-address store, blocklist hits, past fraud orders, velocity counts and the
// merchant's usual amounts. Signals that need it read it here and stay pure.
import type { BlocklistType } from '../identity/blocklist-value.js'
import type { SignalContext } from './order.js'

export type BlocklistHit = { type: BlocklistType; field: string }
export type HistoryHit = { field: string; kind: string; how: 'exact' | 'similar' }

export type Evidence = {
  /** 不正住所照合 of the ship-to; none when the address could not be read. */
  fraudAddress: { result: 'full' | 'partial' | 'none'; count: number }
  blocklist: BlocklistHit[]
  /** This merchant's orders reported as fraud or charged back that share an identifier. */
  history: HistoryHit[]
  /** Distinct buyers (by e-mail or name) shipping to this ship-to in the window, this order included. */
  shipToBuyers: number
  /** This buyer's high-value orders in the window, this one included; 0 when this one is not high-value. */
  buyerHighValueOrders: number
  /** Running statistics of ln(amount) over the merchant's earlier orders. */
  amounts: AmountStats
}

export type AmountStats = { n: number; sumLog: number; sumLogSq: number }

export type ScoringContext = SignalContext & { evidence: Evidence }

export const NO_EVIDENCE: Evidence = {
  fraudAddress: { result: 'none', count: 0 },
  blocklist: [],
  history: [],
  shipToBuyers: 0,
  buyerHighValueOrders: 0,
  amounts: { n: 0, sumLog: 0, sumLogSq: 0 },
}
