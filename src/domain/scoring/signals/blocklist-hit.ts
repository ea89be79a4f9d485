// BLOCKLIST_HIT: an identifier of the order is on the merchant's own blocklist (ブラックリスト —
// seed 002). The one signal that still applies to cash on delivery.
import type { ScoringContext } from '../evidence.js'
import { signal } from '../signal.js'

const TYPE_JA: Record<string, string> = {
  email: 'メールアドレス', phone: '電話番号', name: '氏名', address: '住所', card_bin: 'カードBIN', ip: 'IPアドレス',
}

export const blocklistHit = signal({
  code: 'BLOCKLIST_HIT',
  weight: 60,
  floor: 'high',
  shipment: 'recheck',
  cod: true,
  judge: (ctx: ScoringContext) => {
    const hits = ctx.evidence.blocklist
    if (hits.length === 0) return null
    const types = [...new Set(hits.map((h) => h.type))]
    return {
      message: {
        ja: `ブラックリストと一致しました（${types.map((t) => TYPE_JA[t]).join('、')}）`,
        en: `The order matches the merchant's blocklist (${types.join(', ')})`,
      },
      fields: [...new Set(hits.map((h) => h.field))],
    }
  },
})
