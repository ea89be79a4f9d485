// FRAUD_ADDRESS_FULL / FRAUD_ADDRESS_PARTIAL: the ship-to is in the card issuers' store of
// addresses used in past fraud (不正利用懸念住所 — seed 000, matched as seed 001 rules).
import type { ScoringContext } from '../evidence.js'
import { reason, type Reason } from '../reason.js'

function shipToField(ctx: ScoringContext): string {
  return ctx.order.shipTo !== undefined ? 'shipTo.address' : 'buyer.address'
}

export function fraudAddressFull(ctx: ScoringContext): Reason | null {
  const { result, count } = ctx.evidence.fraudAddress
  if (result !== 'full') return null
  return reason('FRAUD_ADDRESS_FULL', {
    ja: `お届け先がカード会社の不正利用懸念住所と完全一致しました（${count}件）`,
    en: `The ship-to fully matches ${count} address${count === 1 ? '' : 'es'} in the card issuers' fraud-address store`,
  }, [shipToField(ctx)])
}

export function fraudAddressPartial(ctx: ScoringContext): Reason | null {
  const { result, count } = ctx.evidence.fraudAddress
  if (result !== 'partial') return null
  return reason('FRAUD_ADDRESS_PARTIAL', {
    ja: `お届け先がカード会社の不正利用懸念住所と部分一致しました（部屋番号が異なる、または未指定。${count}件）`,
    en: `The ship-to partially matches ${count} address${count === 1 ? '' : 'es'} in the card issuers' fraud-address store (room differs or not given)`,
  }, [shipToField(ctx)])
}
