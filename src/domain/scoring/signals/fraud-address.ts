// FRAUD_ADDRESS_FULL / FRAUD_ADDRESS_PARTIAL: the ship-to is in the card issuers' store of
// addresses used in past fraud (不正利用懸念住所 — seed 000, matched as seed 001 rules).
import type { ScoringContext } from '../evidence.js'
import { signal } from '../signal.js'

function shipToField(ctx: ScoringContext): string {
  return ctx.order.shipTo !== undefined ? 'shipTo.address' : 'buyer.address'
}

export const fraudAddressFull = signal({
  code: 'FRAUD_ADDRESS_FULL',
  weight: 60,
  floor: 'high',
  shipment: 'destination',
  judge: (ctx: ScoringContext) => {
    const { result, count } = ctx.evidence.fraudAddress
    if (result !== 'full') return null
    return {
      message: {
        ja: `お届け先がカード会社の不正利用懸念住所と完全一致しました（${count}件）`,
        en: `The ship-to fully matches ${count} address${count === 1 ? '' : 'es'} in the card issuers' fraud-address store`,
      },
      fields: [shipToField(ctx)],
    }
  },
})

export const fraudAddressPartial = signal({
  code: 'FRAUD_ADDRESS_PARTIAL',
  weight: 25,
  floor: 'elevated',
  shipment: 'destination',
  judge: (ctx: ScoringContext) => {
    const { result, count } = ctx.evidence.fraudAddress
    if (result !== 'partial') return null
    return {
      message: {
        ja: `お届け先がカード会社の不正利用懸念住所と部分一致しました（部屋番号が異なる、または未指定。${count}件）`,
        en: `The ship-to partially matches ${count} address${count === 1 ? '' : 'es'} in the card issuers' fraud-address store (room differs or not given)`,
      },
      fields: [shipToField(ctx)],
    }
  },
})
