// CARD_OVERSEAS: the card was issued abroad (海外発行カード — seed 002 §4: often used fraudulently).
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'

export const cardOverseas = signal({
  code: 'CARD_OVERSEAS',
  weight: 10,
  judge: (ctx: SignalContext) => {
    const country = ctx.order.card?.issuerCountry?.trim()
    // No card, or an issuer country the gateway did not give: nothing to say.
    if (country === undefined || country === '' || country.toUpperCase() === 'JP') return null
    return { message: { ja: '海外発行のクレジットカードです', en: 'The card was issued outside Japan' }, fields: ['card.issuerCountry'] }
  },
})
