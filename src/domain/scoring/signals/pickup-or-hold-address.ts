// PICKUP_OR_HOLD_ADDRESS: the parcel waits to be collected instead of being delivered
// (郵便局留、運送会社営業所留、宅配ロッカー・宅配ボックス — seed 002 §4), so nobody need live there.
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'
import { PICKUP_OR_HOLD } from './place-vocabulary.js'
import { pathsWithTerms, shipToTexts } from './ship-to-text.js'

export const pickupOrHoldAddress = signal({
  code: 'PICKUP_OR_HOLD_ADDRESS',
  weight: 20,
  floor: 'elevated',
  shipment: 'destination',
  judge: (ctx: SignalContext) => {
    const fields = pathsWithTerms(shipToTexts(ctx), PICKUP_OR_HOLD)
    if (fields.length === 0) return null
    return {
      message: {
        ja: 'お届け先が局留・営業所留・宅配ロッカーなどの受取場所です',
        en: 'The ship-to is a hold-for-pickup place (post office, carrier depot, parcel locker)',
      },
      fields,
    }
  },
})
