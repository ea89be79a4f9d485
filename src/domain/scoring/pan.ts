// Finds a full card number (PAN, カード番号) anywhere in a request body so it can be refused
// (PCI DSS: shinsa never stores card numbers; BIN and last 4 only). Never returns the number.
import { prepare } from '../address/text.js'

type Brand = { prefixes: Array<[number, number]>; digits: number; lengths: number[] }

// The card brands' issued ranges: a prefix range of `digits` leading digits, and the lengths issued.
const BRANDS: Brand[] = [
  { prefixes: [[4, 4]], digits: 1, lengths: [13, 16, 19] }, // Visa
  { prefixes: [[51, 55]], digits: 2, lengths: [16] }, // Mastercard
  { prefixes: [[2221, 2720]], digits: 4, lengths: [16] }, // Mastercard 2-series
  { prefixes: [[3528, 3589]], digits: 4, lengths: [16, 17, 18, 19] }, // JCB
  { prefixes: [[34, 34], [37, 37]], digits: 2, lengths: [15] }, // Amex
  { prefixes: [[300, 305]], digits: 3, lengths: [14, 15, 16, 17, 18, 19] }, // Diners
  { prefixes: [[36, 36], [38, 39]], digits: 2, lengths: [14, 15, 16, 17, 18, 19] }, // Diners
  { prefixes: [[6011, 6011]], digits: 4, lengths: [16, 17, 18, 19] }, // Discover
  { prefixes: [[644, 649]], digits: 3, lengths: [16, 17, 18, 19] }, // Discover
  { prefixes: [[65, 65]], digits: 2, lengths: [16, 17, 18, 19] }, // Discover
  { prefixes: [[622126, 622925]], digits: 6, lengths: [16, 17, 18, 19] }, // Discover (China UnionPay co-brand)
  { prefixes: [[62, 62]], digits: 2, lengths: [16, 17, 18, 19] }, // UnionPay
]

function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

function inBrandRange(digits: string): boolean {
  return BRANDS.some((b) => {
    if (!b.lengths.includes(digits.length)) return false
    const head = Number(digits.slice(0, b.digits))
    return b.prefixes.some(([lo, hi]) => head >= lo && head <= hi)
  })
}

/** Whether a run of digits (separators removed) is a full card number. */
export function isCardNumber(digits: string): boolean {
  return /^[0-9]{13,19}$/.test(digits) && inBrandRange(digits) && luhn(digits)
}

// Digit groups joined by single spaces or hyphens, bounded by anything but a digit: the ways
// people type a card number (4111 1111 1111 1111, 4111-1111-1111-1111, 4111111111111111).
const RUN = /[0-9]+(?:[ -][0-9]+)*/g

// A UUID (a ticket or request id in a note) holds digit groups that can pass for a card by
// chance, about once in 2,700: it is an identifier, never a card number.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** Whether the text holds a full card number, alone or inside longer text. */
export function findCardNumber(value: string): boolean {
  const text = prepare(value).replace(UUID, ' ')
  for (const m of text.matchAll(RUN)) {
    const groups = m[0].split(/[ -]/)
    // A card number starts and ends on a group boundary: "注文 12345 4111 1111 1111 1111" holds
    // one though the whole run is 21 digits; cutting inside a group would find cards by chance.
    for (let start = 0; start < groups.length; start++) {
      let digits = ''
      for (let end = start; end < groups.length && digits.length < 19; end++) {
        digits += groups[end]!
        if (digits.length >= 13 && isCardNumber(digits)) return true
      }
    }
  }
  return false
}

// The merchant's own identifiers: a numeric order number must never read as a card.
export const PAN_EXEMPT_PATHS = ['orderId', 'items[*].sku', 'trackingNumber']

function exempt(path: string, except: string[]): boolean {
  const general = path.replace(/\[[0-9]+\]/g, '[*]')
  return except.includes(path) || except.includes(general)
}

/**
 * The JSON path (buyer.name, items[2].name) of the first string or number field holding a full
 * card number, or null. Paths in `except` (with [*] for any index) are not searched.
 */
export function findCardNumberIn(body: unknown, except: string[] = PAN_EXEMPT_PATHS): string | null {
  return search(body, '', except, 0)
}

function search(value: unknown, path: string, except: string[], depth: number): string | null {
  if (depth > 64 || (path !== '' && exempt(path, except))) return null
  if (typeof value === 'string') return findCardNumber(value) ? path : null
  if (typeof value === 'number') return Number.isInteger(value) && findCardNumber(BigInt(value).toString()) ? path : null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = search(value[i], `${path}[${i}]`, except, depth + 1)
      if (hit !== null) return hit
    }
    return null
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const hit = search(child, path === '' ? key : `${path}.${key}`, except, depth + 1)
      if (hit !== null) return hit
    }
  }
  return null
}
