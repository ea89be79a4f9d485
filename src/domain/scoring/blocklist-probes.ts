// What an order is looked up by in the merchant's blocklist: every identifier in the form the
// entries are stored in (normalizeBlocklistValue), each with the request field it came from,
// so a hit names the field. An address entry without a room blocks every room at the address.
import type { NormalizedAddress } from '../address/normalize.js'
import { addressBlocklistKeys } from '../identity/blocklist-value.js'
import { binPrefixes, canonicalBin } from '../identity/card-bin.js'
import { canonicalEmail } from '../identity/email.js'
import { parseIpRange } from '../identity/ip.js'
import { nameKey } from '../identity/name.js'
import { canonicalPhone } from '../identity/phone.js'
import type { BlocklistHit } from './evidence.js'
import type { SignalContext } from './order.js'

export type BlocklistProbe = { type: 'email' | 'phone' | 'name' | 'address' | 'card_bin'; normalized: string; field: string }

export function blocklistProbes(ctx: SignalContext): { probes: BlocklistProbe[]; ip: string | null } {
  const { buyer, shipTo, card } = ctx.order
  const probes: BlocklistProbe[] = []
  const add = (type: BlocklistProbe['type'], normalized: string | null | undefined, field: string) => {
    if (normalized !== null && normalized !== undefined && normalized !== '') probes.push({ type, normalized, field })
  }
  const email = canonicalEmail(buyer.email)
  if (email !== null) {
    add('email', email, 'buyer.email')
    add('email', email.slice(email.lastIndexOf('@')), 'buyer.email')
  }
  if (buyer.phone !== undefined) add('phone', canonicalPhone(buyer.phone), 'buyer.phone')
  if (shipTo?.phone !== undefined) add('phone', canonicalPhone(shipTo.phone), 'shipTo.phone')
  add('name', nameKey(buyer.name), 'buyer.name')
  if (shipTo?.name !== undefined) add('name', nameKey(shipTo.name), 'shipTo.name')
  if (card?.holderName !== undefined) add('name', nameKey(card.holderName), 'card.holderName')
  const addAddress = (a: NormalizedAddress | null, field: string) => {
    if (a !== null) for (const key of addressBlocklistKeys(a)) add('address', key, field)
  }
  addAddress(ctx.buyerAddress, 'buyer.address')
  if (shipTo !== undefined) addAddress(ctx.shipToAddress, 'shipTo.address')
  const bin = card === undefined ? null : canonicalBin(card.bin)
  if (bin !== null) for (const prefix of binPrefixes(bin)) add('card_bin', prefix, 'card.bin')
  const range = buyer.ip === undefined ? null : parseIpRange(buyer.ip)
  return { probes, ip: range === null ? null : range.network }
}

/** The hits, each with the field it came from. */
export function blocklistHits(
  probes: readonly BlocklistProbe[], ip: string | null, found: ReadonlyArray<{ type: string; normalized: string }>
): BlocklistHit[] {
  const hits: BlocklistHit[] = []
  for (const f of found) {
    if (f.type === 'ip') {
      if (ip !== null) hits.push({ type: 'ip', field: 'buyer.ip' })
      continue
    }
    for (const p of probes) if (p.type === f.type && p.normalized === f.normalized) hits.push({ type: p.type, field: p.field })
  }
  return hits.filter((h, i) => hits.findIndex((o) => o.type === h.type && o.field === h.field) === i)
}
