// SHIP_TO_DIFFERS: the order ships somewhere other than the orderer's own address or to another
// person (注文者と別の配送先 — seed 002 §3). One address written two ways is the same address.
import { foldName, prepare } from '../../address/text.js'
import type { AddressInput, SignalContext } from '../order.js'
import { signal } from '../signal.js'

// Unreadable addresses fall back to their text, folded and without spaces.
function rawKey(a: AddressInput): string {
  const text = a.line ?? [a.prefecture, a.city, a.town, a.block, a.room].filter((p) => p !== undefined).join('')
  return foldName(prepare(text))
}

export const shipToDiffers = signal({
  code: 'SHIP_TO_DIFFERS',
  weight: 5,
  judge: (ctx: SignalContext) => {
    const to = ctx.order.shipTo
    if (to === undefined) return null
    const fields: string[] = []
    const b = ctx.buyerAddress
    const s = ctx.shipToAddress
    const sameAddress = b !== null && s !== null
      // Any reading alike: 1-2-3-101 is 1-2-3 room 101 (a trailing number after 号 is the room).
      ? b.readings.some((r) => s.readings.some((q) => q.matchKey === r.matchKey && q.roomKey === r.roomKey))
      : rawKey(ctx.order.buyer.address) === rawKey(to.address)
    if (!sameAddress) fields.push('shipTo.address')
    if (to.name !== undefined && to.name.trim() !== '' && foldName(to.name) !== foldName(ctx.order.buyer.name)) {
      fields.push('shipTo.name')
    }
    if (fields.length === 0) return null
    return {
      message: {
        ja: '注文者とお届け先(住所または氏名)が異なります',
        en: "The ship-to (address or name) differs from the buyer's",
      },
      fields,
    }
  },
})
