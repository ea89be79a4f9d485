// FORWARDING_ADDRESS: the ship-to is an overseas forwarding service's warehouse (海外転送サービスの
// 指定住所・倉庫), named as such or ending in the customer code forwarders assign (seed 002 §4:
// 住所の末尾に「数字」や「記号」や「アルファベット」がある時は注意).
import { prepare } from '../../address/text.js'
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'
import { FORWARDING } from './place-vocabulary.js'
import { pathsWithTerms, shipToTexts } from './ship-to-text.js'

// A trailing customer code: letters then digits (ABC-12345, JP1234), a # with letters (#JP1234),
// or digits then letters (12345-TS). Ordinary rooms (101, A101, B-203, 3F, #101) have at most one
// letter, so two letters and four digits (three after a #) keep them out.
const CODE_TAIL = /(?:#[A-Z]{1,4}[-_]?[0-9]{3,}|[A-Z]{2,}[-_#]?[0-9]{4,}|(?:^|[^0-9-])[0-9]{4,}[-_]?[A-Z]{2,})$/

/** Whether the text ends in a forwarder's customer code. */
export function endsInForwarderCode(text: string): boolean {
  const s = prepare(text).toUpperCase().replace(/[\s)）\].。、,]+$/, '')
  return CODE_TAIL.test(s)
}

export const forwardingAddress = signal({
  code: 'FORWARDING_ADDRESS',
  weight: 30,
  floor: 'elevated',
  shipment: 'destination',
  judge: (ctx: SignalContext) => {
    const texts = shipToTexts(ctx)
    const fields = pathsWithTerms(texts, FORWARDING)
    for (const t of texts) {
      if (t.path.endsWith('.town')) continue
      if (endsInForwarderCode(t.text) && !fields.includes(t.path)) fields.push(t.path)
    }
    if (fields.length === 0) return null
    return {
      message: {
        ja: 'お届け先が海外転送サービスの倉庫(転送先住所)と思われます',
        en: 'The ship-to looks like an overseas forwarding service warehouse',
      },
      fields,
    }
  },
})
