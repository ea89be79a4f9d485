// SHORT_STAY_ADDRESS: a place where one stays or receives mail without living there (ウィークリー
// マンション、ホテル・民泊、ネットカフェ、レンタルオフィス、私設私書箱 — seed 002 §4).
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'
import { SHORT_STAY } from './place-vocabulary.js'
import { pathsWithTerms, shipToTexts } from './ship-to-text.js'

export const shortStayAddress = signal({
  code: 'SHORT_STAY_ADDRESS',
  weight: 15,
  shipment: 'destination',
  judge: (ctx: SignalContext) => {
    const fields = pathsWithTerms(shipToTexts(ctx), SHORT_STAY)
    if (fields.length === 0) return null
    return {
      message: {
        ja: 'お届け先がウィークリーマンション・ホテル・ネットカフェ・レンタルオフィスなどの短期滞在先です',
        en: 'The ship-to is a short-stay place (weekly mansion, hotel, net café, rental office, mailbox)',
      },
      fields,
    }
  },
})
