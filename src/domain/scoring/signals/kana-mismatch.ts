// KANA_MISMATCH: the furigana (nameKana) is not a reading of the name — seed 002 目視チェック 1:
// 名前「木村」→ふりがな「きそん」, a reading guessed kanji by kanji by someone who does not know
// the name. Fires only when sure: a given name may be read as its parents chose, so unsure is silent.
import { isPlausibleReading } from '../name-readings.js'
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'

const misread = (name: string | undefined, kana: string | undefined): boolean =>
  name !== undefined && kana !== undefined && isPlausibleReading(name, kana) === false

/** KANA_MISMATCH on buyer.nameKana and shipTo.nameKana. */
export const kanaMismatch = signal({
  code: 'KANA_MISMATCH',
  weight: 10,
  judge: (ctx: SignalContext) => {
    const { buyer, shipTo } = ctx.order
    const fields: string[] = []
    if (misread(buyer.name, buyer.nameKana)) fields.push('buyer.nameKana')
    if (misread(shipTo?.name, shipTo?.nameKana)) fields.push('shipTo.nameKana')
    if (fields.length === 0) return null
    return {
      message: {
        ja: 'フリガナが氏名の読みと一致しません。',
        en: 'The name kana (furigana) is not a reading of the name.',
      },
      fields,
    }
  },
})
