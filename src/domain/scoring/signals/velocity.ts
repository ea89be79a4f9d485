// VELOCITY_SHIP_TO: many buyers send to one place in a short time (a drop address);
// VELOCITY_BUYER: one buyer places several high-value orders in a short time (seed 002 §3).
import type { ScoringContext } from '../evidence.js'
import { signal } from '../signal.js'

/** RULESET.windows: the evidence query counts within them (db/evidence.ts), the signals judge by them. */
export const VELOCITY_WINDOWS = {
  /** VELOCITY_SHIP_TO: from the third distinct buyer (by e-mail or name) to one ship-to … */
  velocityShipToBuyers: 3,
  /** … within this many hours. */
  velocityShipToHours: 24,
  /** VELOCITY_BUYER: this many high-value orders by one buyer … */
  velocityBuyerOrders: 3,
  velocityBuyerHours: 24,
  /** An order is high-value from this amount (JPY) and from the merchant's typical amount. */
  highValueMinAmount: 10_000,
} as const

export const velocityShipTo = signal({
  code: 'VELOCITY_SHIP_TO',
  weight: 30,
  judge: (ctx: ScoringContext) => {
    const buyers = ctx.evidence.shipToBuyers
    const { velocityShipToBuyers: limit, velocityShipToHours: hours } = VELOCITY_WINDOWS
    if (buyers < limit) return null
    return {
      message: {
        ja: `${hours}時間以内に${buyers}人の異なる注文者が同じお届け先に注文しています`,
        en: `${buyers} different buyers ordered to this ship-to within ${hours} hours`,
      },
      fields: [ctx.order.shipTo !== undefined ? 'shipTo.address' : 'buyer.address'],
    }
  },
})

export const velocityBuyer = signal({
  code: 'VELOCITY_BUYER',
  weight: 20,
  judge: (ctx: ScoringContext) => {
    const orders = ctx.evidence.buyerHighValueOrders
    const { velocityBuyerOrders: limit, velocityBuyerHours: hours } = VELOCITY_WINDOWS
    if (orders < limit) return null
    return {
      message: {
        ja: `同じ注文者から${hours}時間以内に高額注文が${orders}件あります`,
        en: `The same buyer placed ${orders} high-value orders within ${hours} hours`,
      },
      fields: ['buyer.email'],
    }
  },
})
