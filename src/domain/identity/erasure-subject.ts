// One person to erase, in the normalized forms shinsa stores (canonical e-mail, E.164 phone,
// folded name with an address key): what their orders, batch rows and blocklist entries are found by.
import { AddressError, normalizeAddress, type NormalizedAddress } from '../address/normalize.js'
import { addressKey, addressKeys, type HistoryKind } from '../scoring/identities.js'
import { addressBlocklistKeys } from './blocklist-value.js'
import { canonicalEmail } from './email.js'

export type ErasureSubject =
  | { kind: 'email'; email: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'name_address'; name: string; address: NormalizedAddress }

type Probe = { kind: HistoryKind; value: string }

/** Groups an order's identities must all meet, each by any of its probes. */
export function orderProbeGroups (s: ErasureSubject): Probe[][] {
  switch (s.kind) {
    case 'email': return [[{ kind: 'email', value: s.email }]]
    case 'phone': return [[{ kind: 'phone', value: s.phone }]]
    case 'name_address': return [[{ kind: 'name', value: s.name }], addressKeys(s.address).map((value) => ({ kind: 'address', value }))]
  }
}

/** The blocklist values that name this person (a whole '@domain' entry does not). */
export function blocklistValues (s: ErasureSubject): { type: 'email' | 'phone' | 'name' | 'address'; normalized: string }[] {
  switch (s.kind) {
    case 'email': return [{ type: 'email', normalized: s.email }]
    case 'phone': return [{ type: 'phone', normalized: s.phone }]
    case 'name_address': return [
      { type: 'name', normalized: s.name },
      ...addressBlocklistKeys(s.address).filter((k) => k.includes('|') || s.address.roomKey === null).map((normalized) => ({ type: 'address' as const, normalized })),
    ]
  }
}

/** The text the erasure record's hash is made from: the identifier, never stored itself. */
export function subjectText (s: ErasureSubject): string {
  switch (s.kind) {
    case 'email': return `email:${s.email}`
    case 'phone': return `phone:${s.phone}`
    case 'name_address': return `name_address:${s.name}\n${addressKey(s.address)}`
  }
}

type BatchRow = { email: string | null; prefecture: string | null; city: string | null; town: string | null; block: string | null; room: string | null }

/** What of a batch row is this person's: its e-mail, its address, or nothing. */
export function batchRowMatch (s: ErasureSubject, row: BatchRow): 'email' | 'address' | null {
  if (s.kind === 'email') return row.email !== null && canonicalEmail(row.email) === s.email ? 'email' : null
  if (s.kind === 'phone' || row.prefecture === null || row.city === null || row.town === null || row.block === null) return null
  let keys: string[]
  try {
    keys = addressKeys(normalizeAddress({ prefecture: row.prefecture, city: row.city, town: row.town, block: row.block, ...(row.room !== null ? { room: row.room } : {}) }))
  } catch (err) {
    if (err instanceof AddressError) return null
    throw err
  }
  const wanted = new Set(addressKeys(s.address))
  return keys.some((k) => wanted.has(k)) ? 'address' : null
}
