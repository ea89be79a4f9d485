// THREE_DS_AUTHENTICATED: 3-D Secure (本人認証) succeeded, so a fraud chargeback falls on the
// issuer, not the merchant (seed 002 §3: 3Dセキュア認証済…店舗さんは免責); it lowers the score.
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'

export const threeDSAuthenticated = signal({
  code: 'THREE_DS_AUTHENTICATED',
  weight: -15,
  judge: (ctx: SignalContext) => {
    if (ctx.order.card?.threeDSecure !== 'authenticated') return null
    return {
      message: {
        ja: '3Dセキュア(本人認証)済みです(チャージバックはカード会社負担)',
        en: '3-D Secure authenticated (liability shifts to the issuer)',
      },
      fields: ['card.threeDSecure'],
    }
  },
})
