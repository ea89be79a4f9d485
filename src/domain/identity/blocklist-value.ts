// A merchant's blocklist entry (/v1/blocklist) as the key it is stored under, and the keys an
// order is looked up by, so that an entry and an order normalized apart still meet.
import { AddressError, normalizeAddress, type NormalizedAddress } from '../address/normalize.js'
import { canonicalBin } from './card-bin.js'
import { canonicalEmail, emailDomain } from './email.js'
import { parseIpRange } from './ip.js'
import { nameKey } from './name.js'
import { canonicalPhone } from './phone.js'

export type BlocklistType = 'email' | 'phone' | 'name' | 'address' | 'card_bin' | 'ip'
export type BlocklistValue = { normalized: string } | { error: string }

const ok = (normalized: string | null, error: string): BlocklistValue =>
  normalized === null ? { error } : { normalized }

/** The stored key of an entry, or a short English reason to answer the merchant with. */
export function normalizeBlocklistValue(type: BlocklistType, value: string): BlocklistValue {
  switch (type) {
    case 'email': return emailEntry(value)
    case 'phone': return ok(canonicalPhone(value), 'is not a Japanese phone number')
    case 'name': return ok(nameKey(value), 'is not a name')
    case 'address': return addressEntry(value)
    case 'card_bin': return ok(canonicalBin(value), 'is not a card BIN of 6 to 8 digits')
    case 'ip': {
      const range = parseIpRange(value)
      if (range === null) return { error: 'is not an IP address or CIDR range' }
      // Wider than a /8 (a /32 of IPv6) would block a good part of the Internet: a typo, not a rule.
      if (range.prefix < (range.family === 4 ? 8 : 32)) return { error: `is a range too wide to block (/${range.prefix})` }
      return { normalized: range.canonical }
    }
  }
}

// '@example.com' blocks a whole domain; it goes through the address rules so that
// '@googlemail.com' blocks what canonicalEmail files under gmail.com.
function emailEntry(value: string): BlocklistValue {
  const text = value.normalize('NFKC').trim()
  if (!text.startsWith('@')) return ok(canonicalEmail(text), 'is not an e-mail address')
  const probe = canonicalEmail(`x${text}`)
  return ok(probe === null ? null : `@${emailDomain(probe)}`, 'is not an e-mail domain')
}

// matchKey alone blocks every room at the address; with '|' + roomKey, that room only.
function addressEntry(value: string): BlocklistValue {
  try {
    const address = normalizeAddress({ line: value })
    return { normalized: address.roomKey === null ? address.matchKey : `${address.matchKey}|${address.roomKey}` }
  } catch (err) {
    if (err instanceof AddressError) return { error: err.message }
    throw err
  }
}

/** The keys an order's address is looked up by: each reading's matchKey, and with its room. */
export function addressBlocklistKeys(address: NormalizedAddress): string[] {
  const keys = new Set<string>()
  for (const r of address.readings) {
    keys.add(r.matchKey)
    if (r.roomKey !== null) keys.add(`${r.matchKey}|${r.roomKey}`)
  }
  return [...keys]
}

/** The keys an order's canonical e-mail is looked up by: the address and its '@domain'. */
export function emailBlocklistKeys(canonical: string): string[] {
  return [canonical, `@${emailDomain(canonical)}`]
}
