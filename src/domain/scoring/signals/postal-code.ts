// POSTAL_CODE_MISMATCH: a postal code that exists but belongs to another prefecture or city than
// the address it was typed with (Japan Post's KEN_ALL, via the address vocabulary).
import type { NormalizedAddress } from '../../address/normalize.js'
import { foldName } from '../../address/text.js'
import { vocabulary, type City } from '../../address/vocabulary.js'
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'

export type PostalVerdict = 'consistent' | 'other-prefecture' | 'other-city' | 'unknown'

// A city as written and a city of the code agree when one is the other, or one is the other's
// designated city (大阪市 and 大阪市北区), or one leaves out the 郡 (串本町 and 東牟婁郡串本町).
function sameCity(written: string, city: City): boolean {
  const a = foldName(written)
  const b = city.key
  const noGun = (k: string) => k.slice(k.indexOf('郡') + 1)
  return a === b || b.startsWith(a) || a.startsWith(b) || noGun(a) === noGun(b)
}

/** The postal code against the address's prefecture and city; 'unknown' when it cannot tell. */
export function postalVerdict(address: NormalizedAddress): PostalVerdict {
  if (address.postalCode === null) return 'unknown'
  const v = vocabulary()
  // 事業所 (large-user) codes are not in KEN_ALL: a code the table does not know is no evidence.
  const cities = v.postal(address.postalCode).map((code) => v.cityByCode.get(code)!)
  if (cities.length === 0) return 'unknown'
  const inPrefecture = cities.filter((c) => c.prefecture === address.prefecture)
  if (inPrefecture.length === 0) return 'other-prefecture'
  // Only a city the vocabulary knows can be judged: a misspelt one would fire on a right code.
  const known = (v.cities.get(foldName(address.city)) ?? []).some((c) => c.prefecture === address.prefecture)
  if (!known) return 'unknown'
  return inPrefecture.some((c) => sameCity(address.city, c)) ? 'consistent' : 'other-city'
}

/** POSTAL_CODE_MISMATCH on the buyer's address and, when given, the ship-to's. */
export const postalCodeMismatch = signal({
  code: 'POSTAL_CODE_MISMATCH',
  weight: 10,
  judge: (ctx: SignalContext) => {
    const checks: Array<[string, NormalizedAddress | null]> = [['buyer.address', ctx.buyerAddress]]
    // Without a shipTo the ship-to address is the buyer's: judge it once.
    if (ctx.order.shipTo !== undefined) checks.push(['shipTo.address', ctx.shipToAddress])
    const fields: string[] = []
    const seen: string[] = []
    for (const [field, address] of checks) {
      if (address === null) continue
      const verdict = postalVerdict(address)
      if (verdict !== 'other-prefecture' && verdict !== 'other-city') continue
      fields.push(`${field}.postalCode`)
      seen.push(`〒${address.postalCode!.slice(0, 3)}-${address.postalCode!.slice(3)}`)
    }
    if (fields.length === 0) return null
    return {
      message: {
        ja: `郵便番号が住所の都道府県・市区町村と一致しません（${seen.join('、')}）。`,
        en: `The postal code belongs to another prefecture or city than the address (${seen.join(', ')}).`,
      },
      fields,
    }
  },
})
