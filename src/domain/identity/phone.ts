// A buyer's phone number as one key: E.164, so 03-1234-5678, +81 3 1234 5678 and full-width
// ０３（１２３４）５６７８ are the same line for the blocklist and history matches.
import { parseJapanesePhone } from '../scoring/signals/phone.js'

/** '+81312345678', or null when it is no valid Japanese number (foreign numbers included). */
export function canonicalPhone(text: string): string | null {
  return parseJapanesePhone(text)?.number ?? null
}
