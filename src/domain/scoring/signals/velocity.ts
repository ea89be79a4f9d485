// VELOCITY_SHIP_TO: many buyers send to one place in a short time (a drop address);
// VELOCITY_BUYER: one buyer places several high-value orders in a short time (seed 002 §3).
import { RULESET } from '../ruleset.js'
import type { ScoringContext } from '../evidence.js'
import { reason, type Reason } from '../reason.js'

export function velocityShipTo(ctx: ScoringContext): Reason | null {
  const buyers = ctx.evidence.shipToBuyers
  const { velocityShipToBuyers: limit, velocityShipToHours: hours } = RULESET.windows
  if (buyers < limit) return null
  return reason('VELOCITY_SHIP_TO', {
    ja: `${hours}時間以内に${buyers}人の異なる注文者が同じお届け先に注文しています`,
    en: `${buyers} different buyers ordered to this ship-to within ${hours} hours`,
  }, [ctx.order.shipTo !== undefined ? 'shipTo.address' : 'buyer.address'])
}

export function velocityBuyer(ctx: ScoringContext): Reason | null {
  const orders = ctx.evidence.buyerHighValueOrders
  const { velocityBuyerOrders: limit, velocityBuyerHours: hours } = RULESET.windows
  if (orders < limit) return null
  return reason('VELOCITY_BUYER', {
    ja: `同じ注文者から${hours}時間以内に高額注文が${orders}件あります`,
    en: `The same buyer placed ${orders} high-value orders within ${hours} hours`,
  }, ['buyer.email'])
}
