// An order's identifiers in normalized form (canonical e-mail, E.164 phone, folded name and
// kana, address key): what the fraud history is searched by and filed under, and the keys
// velocity counts by. Never a card number: the card's facts are not identifiers here.
import type { NormalizedAddress } from '../address/normalize.js'
import { foldName, prepare } from '../address/text.js'
import { canonicalEmail } from '../identity/email.js'
import { kanaKey, nameKey } from '../identity/name.js'
import { canonicalPhone } from '../identity/phone.js'
import type { AddressInput, SignalContext } from './order.js'

export type HistoryKind = 'email' | 'email_local' | 'phone' | 'name' | 'kana' | 'address'
export type Identifier = { kind: HistoryKind; value: string; field: string }

/** The address as one key: pref+city+town#block, and |room when it has one. */
export function addressKey(a: { matchKey: string; roomKey: string | null }): string {
  return a.roomKey === null ? a.matchKey : `${a.matchKey}|${a.roomKey}`
}

/** Every key an address may be known by: 1-2-3-101 is also 1-2-3 room 101. */
export function addressKeys(a: NormalizedAddress): string[] {
  return [...new Set(a.readings.map(addressKey))]
}

/** An address that could not be normalized still gets a key: its text, folded. */
function rawAddressKey(a: AddressInput): string {
  const text = a.line ?? [a.prefecture, a.city, a.town, a.block, a.room].filter((p) => p !== undefined).join('')
  return `raw:${foldName(prepare(text))}`
}

export function identifiers(ctx: SignalContext): Identifier[] {
  const { buyer, shipTo } = ctx.order
  const out: Identifier[] = []
  const add = (kind: HistoryKind, value: string | null | undefined, field: string) => {
    if (value !== null && value !== undefined && value !== '' && !out.some((i) => i.kind === kind && i.value === value && i.field === field)) {
      out.push({ kind, value, field })
    }
  }
  const email = canonicalEmail(buyer.email)
  add('email', email, 'buyer.email')
  if (email !== null) {
    const local = email.slice(0, email.lastIndexOf('@'))
    if (local.length >= 4) add('email_local', local, 'buyer.email')
  }
  if (buyer.phone !== undefined) add('phone', canonicalPhone(buyer.phone), 'buyer.phone')
  add('name', nameKey(buyer.name), 'buyer.name')
  if (buyer.nameKana !== undefined) add('kana', kanaKey(buyer.nameKana), 'buyer.nameKana')
  if (ctx.buyerAddress !== null) add('address', addressKey(ctx.buyerAddress), 'buyer.address')
  if (shipTo !== undefined) {
    if (shipTo.phone !== undefined) add('phone', canonicalPhone(shipTo.phone), 'shipTo.phone')
    if (shipTo.name !== undefined) add('name', nameKey(shipTo.name), 'shipTo.name')
    if (shipTo.nameKana !== undefined) add('kana', kanaKey(shipTo.nameKana), 'shipTo.nameKana')
    if (ctx.shipToAddress !== null) add('address', addressKey(ctx.shipToAddress), 'shipTo.address')
  }
  return out
}

/** Who the buyer is, for VELOCITY_BUYER: the canonical e-mail, else the phone, else the name. */
export function buyerKey(ctx: SignalContext): string {
  const { buyer } = ctx.order
  const email = canonicalEmail(buyer.email)
  if (email !== null) return `email:${email}`
  const phone = buyer.phone !== undefined ? canonicalPhone(buyer.phone) : null
  if (phone !== null) return `phone:${phone}`
  return `name:${nameKey(buyer.name) ?? buyer.email.trim().toLowerCase()}`
}

/** Where the order goes, for VELOCITY_SHIP_TO: the ship-to's address key (room included). */
export function shipToKey(ctx: SignalContext): string {
  if (ctx.shipToAddress !== null) return addressKey(ctx.shipToAddress)
  return rawAddressKey((ctx.order.shipTo ?? ctx.order.buyer).address)
}
