// The order as POST /v1/orders/score receives it, for the pure signals.
import type { NormalizedAddress } from '../address/normalize.js'

export type AddressInput = {
  postalCode?: string; prefecture?: string; city?: string; town?: string; block?: string
  room?: string; building?: string; line?: string
}

export type OrderInput = {
  orderId: string
  orderedAt?: string
  amount: number
  currency?: 'JPY'
  paymentMethod: 'card' | 'cod' | 'bank_transfer' | 'convenience_store' | 'carrier' | 'deferred' | 'other'
  card?: { bin: string; last4: string; issuerCountry?: string; threeDSecure?: 'authenticated' | 'attempted' | 'failed' | 'not_performed'; holderName?: string }
  buyer: { name: string; nameKana?: string; email: string; phone?: string; address: AddressInput; ip?: string }
  shipTo?: { name?: string; nameKana?: string; phone?: string; address: AddressInput }
  items?: Array<{ sku?: string; name: string; category?: string; unitPrice: number; quantity: number }>
}

/** What the pure signals look at: the order, and its addresses normalized (null if unreadable). */
export type SignalContext = {
  order: OrderInput
  buyerAddress: NormalizedAddress | null
  /** The ship-to address: the buyer's when shipTo is absent. */
  shipToAddress: NormalizedAddress | null
}
