// NAME_ROMAJI: the orderer's (or ship-to's) name typed in Latin letters — seed 002 目視チェック 8:
// a Japanese name in romaji, and on the phone a foreigner answered. Common among honest buyers
// too (a foreign resident, a keyboard without an IME), hence a small weight.
import { isRomaji } from 'wanakana'
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'

// Letters of any Latin-script name (Müller, José), with the joiners names carry (O'Brien, Jean-Luc).
const LATIN_NAME = /^[\p{Script=Latin}'’.\-]+$/u

/** Whether a name is written in Latin letters only: width folded, spaces dropped first. */
export function isRomajiName(name: string): boolean {
  const text = name.normalize('NFKC').replace(/[\s・,]+/gu, '')
  const letters = text.replace(/[^\p{L}]/gu, '')
  // One letter is an initial or a typo, not a name; digits are no name at all.
  if (letters.length < 2 || /\p{N}/u.test(text)) return false
  return isRomaji(text) || LATIN_NAME.test(text)
}

/** NAME_ROMAJI on buyer.name and shipTo.name. */
export const nameRomaji = signal({
  code: 'NAME_ROMAJI',
  weight: 5,
  judge: (ctx: SignalContext) => {
    const { buyer, shipTo } = ctx.order
    const fields: string[] = []
    if (isRomajiName(buyer.name)) fields.push('buyer.name')
    if (shipTo?.name !== undefined && isRomajiName(shipTo.name)) fields.push('shipTo.name')
    if (fields.length === 0) return null
    return { message: { ja: '氏名がローマ字で入力されています。', en: 'The name is typed in Latin letters (romaji).' }, fields }
  },
})
