// FRAUD_HISTORY_MATCH / FRAUD_HISTORY_SIMILAR: the order shares an identifier with this
// merchant's past orders reported as fraud or charged back — 不正注文情報と一致 / 類似 (seed 002).
// One of the two fires, never both: a match says more than a resemblance.
import type { HistoryHit, ScoringContext } from '../evidence.js'
import { signal } from '../signal.js'

/** RULESET.history: pg_trgm similarity from which a name, kana or address resembles a past fraud order's (history.ts). */
export const HISTORY_SIMILARITY = {
  nameSimilarity: 0.6,
  kanaSimilarity: 0.7,
  addressSimilarity: 0.7,
} as const

const KIND_JA: Record<string, string> = {
  email: 'メールアドレス', email_local: 'メールアドレス', phone: '電話番号', name: '氏名', kana: 'フリガナ', address: '住所',
}
const KIND_EN: Record<string, string> = {
  email: 'e-mail', email_local: 'e-mail', phone: 'phone', name: 'name', kana: 'kana', address: 'address',
}

function describe(hits: readonly HistoryHit[]) {
  const kinds = [...new Set(hits.map((h) => h.kind))]
  return {
    ja: [...new Set(kinds.map((k) => KIND_JA[k]))].join('、'),
    en: [...new Set(kinds.map((k) => KIND_EN[k]))].join(', '),
    fields: [...new Set(hits.map((h) => h.field))],
  }
}

export const fraudHistoryMatch = signal({
  code: 'FRAUD_HISTORY_MATCH',
  weight: 50,
  shipment: 'recheck',
  judge: (ctx: ScoringContext) => {
    const exact = ctx.evidence.history.filter((h) => h.how === 'exact')
    if (exact.length === 0) return null
    const d = describe(exact)
    return {
      message: {
        ja: `過去の不正注文情報と一致しています（${d.ja}）`,
        en: `Matches a past fraud order (${d.en})`,
      },
      fields: d.fields,
    }
  },
})

export const fraudHistorySimilar = signal({
  code: 'FRAUD_HISTORY_SIMILAR',
  weight: 25,
  shipment: 'recheck',
  judge: (ctx: ScoringContext) => {
    if (ctx.evidence.history.some((h) => h.how === 'exact')) return null
    const similar = ctx.evidence.history.filter((h) => h.how === 'similar')
    if (similar.length === 0) return null
    const d = describe(similar)
    return {
      message: {
        ja: `過去の不正注文情報と類似しています（${d.ja}）`,
        en: `Resembles a past fraud order (${d.en})`,
      },
      fields: d.fields,
    }
  },
})
