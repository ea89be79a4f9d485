// A card's BIN (IIN, the issuer's first 6 to 8 digits) as one key, and the shorter BINs a longer
// one falls under: a blocklist entry of 6 digits blocks every 8-digit BIN starting with it.

// Hyphens and dash look-alikes people type between digit groups (－ is '-' after NFKC).
const SEPARATORS = /[\s\-‐‑‒–—―−]/g

/** '45678901' from '4567 8901' or '４５６７－８９'; null unless 6 to 8 digits (never a whole PAN). */
export function canonicalBin(text: string): string | null {
  const digits = text.normalize('NFKC').replace(SEPARATORS, '')
  return /^[0-9]{6,8}$/.test(digits) ? digits : null
}

/** The prefixes of a canonical BIN of length 6 up to its own: '1234567' → ['123456', '1234567']. */
export function binPrefixes(bin: string): string[] {
  const prefixes: string[] = []
  for (let n = 6; n <= bin.length; n++) prefixes.push(bin.slice(0, n))
  return prefixes
}
