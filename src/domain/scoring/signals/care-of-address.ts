// CARE_OF_ADDRESS: the parcel goes to someone else's address for the buyer (〜方、〜気付、c/o —
// seed 002 §4): the buyer does not live at the ship-to.
import { prepare } from '../../address/text.js'
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'
import { CARE_OF } from './place-vocabulary.js'
import { pathsWithTerms, shipToTexts } from './ship-to-text.js'

// Surnames and words that end in 方 on their own: 緒方 健 is a name, not "care of 緒".
// 方南町 or 北方 as a town never reaches here: 方 is looked for in building, room and name only.
const ENDS_IN_HO = new Set([
  '緒方', '尾方', '生方', '土方', '北方', '南方', '西方', '東方', '山方', '岡方', '小方', '中方', '四方',
  '目方', '大方', '上方', '下方', '前方', '舟方', '船方', '宇方', '岩方', '古方', '木方', '片方', '両方',
])
// Those that no household name ends in, so they also end a longer word (コーポ緒方). Not 中方 or
// 木方: 田中方 and 鈴木方 are care of 田中 and 鈴木.
const ENDING_ONLY_AS_NAME = ['緒方', '尾方', '生方', '土方', '四方', '目方', '片方', '両方', '舟方', '船方']

/** Whether the text names a household it is care of: 田中方, 田中様方, (田中方), 田中 方. */
export function hasCareOfHo(text: string): boolean {
  const segments = prepare(text).split(/[\s()（）「」[\]、,・]+/).filter((s) => s !== '')
  return segments.some((s, i) => {
    if (s === '方' || s === '様方') return i > 0
    if (!s.endsWith('方') || s.length < 2) return false
    if (s.endsWith('様方') || s.endsWith('さま方')) return true
    return !ENDS_IN_HO.has(s) && !ENDING_ONLY_AS_NAME.some((w) => s.endsWith(w))
  })
}

export const careOfAddress = signal({
  code: 'CARE_OF_ADDRESS',
  weight: 15,
  floor: 'elevated',
  shipment: 'destination',
  judge: (ctx: SignalContext) => {
    const texts = shipToTexts(ctx)
    const fields = pathsWithTerms(texts, CARE_OF)
    for (const t of texts) if (t.tail && hasCareOfHo(t.text) && !fields.includes(t.path)) fields.push(t.path)
    if (fields.length === 0) return null
    return {
      message: {
        ja: 'お届け先が「〜方」「〜気付」など本人の住所ではない宛先です',
        en: "The ship-to is care of someone else (〜方, 〜気付, c/o), not the buyer's own address",
      },
      fields,
    }
  },
})
