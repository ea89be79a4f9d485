// CARD_OVERSEAS: the card was issued abroad (海外発行カード — seed 002 §4: often used fraudulently).
import type { SignalContext } from '../order.js'
import { reason, type Reason } from '../reason.js'

export function cardOverseas(ctx: SignalContext): Reason | null {
  const country = ctx.order.card?.issuerCountry?.trim()
  // No card, or an issuer country the gateway did not give: nothing to say.
  if (country === undefined || country === '' || country.toUpperCase() === 'JP') return null
  return reason('CARD_OVERSEAS', { ja: '海外発行のクレジットカードです', en: 'The card was issued outside Japan' }, ['card.issuerCountry'])
}
