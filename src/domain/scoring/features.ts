// What a decision is computed from, stored with it so it replays exactly: the order as sent,
// its identities as normalized then, the evidence the database gave, and the built-in signals
// that fired (without weights: a version's table weighs them). Dictionaries and normalizers may
// change later; a replay never runs them again, it reads what they said then.
import type { NormalizedAddress } from '../address/normalize.js'
import { canonicalEmail } from '../identity/email.js'
import { nameKey } from '../identity/name.js'
import { canonicalPhone } from '../identity/phone.js'
import type { Evidence } from './evidence.js'
import type { OrderInput, SignalContext } from './order.js'
import type { Reason } from './reason.js'

/** The order's identities as the rules see them; absent when the order has none or it could not be read. */
export type Identities = {
  email?: string
  emailDomain?: string
  phone?: string
  buyerName?: string
  shipToName?: string
  buyerPrefecture?: string
  buyerCity?: string
  shipToPrefecture?: string
  shipToCity?: string
  shipToPostalCode?: string
}

/** A built-in signal that fired, as the signal said it. */
export type FiredSignal = Pick<Reason, 'code' | 'message' | 'fields'>

export type DecisionFeatures = {
  /** The request as sent (a full card number never gets this far). */
  order: OrderInput
  /** orderedAt, or when the order was scored if the request had none. */
  orderedAt: string
  identities: Identities
  evidence: Evidence
  signals: FiredSignal[]
}

function put (out: Identities, key: keyof Identities, value: string | null | undefined): void {
  if (value !== null && value !== undefined && value !== '') out[key] = value
}

function putAddress (out: Identities, who: 'buyer' | 'shipTo', a: NormalizedAddress | null): void {
  if (a === null) return
  put(out, `${who}Prefecture`, a.prefecture)
  put(out, `${who}City`, a.city)
  if (who === 'shipTo') put(out, 'shipToPostalCode', a.postalCode)
}

export function identitiesOf (ctx: SignalContext): Identities {
  const { buyer, shipTo } = ctx.order
  const out: Identities = {}
  const email = canonicalEmail(buyer.email)
  put(out, 'email', email)
  put(out, 'emailDomain', email?.slice(email.lastIndexOf('@') + 1))
  put(out, 'phone', buyer.phone === undefined ? null : canonicalPhone(buyer.phone))
  put(out, 'buyerName', nameKey(buyer.name))
  put(out, 'shipToName', shipTo?.name === undefined ? nameKey(buyer.name) : nameKey(shipTo.name))
  putAddress(out, 'buyer', ctx.buyerAddress)
  putAddress(out, 'shipTo', ctx.shipToAddress)
  return out
}

export function featuresOf (ctx: SignalContext, orderedAt: Date, evidence: Evidence, fired: readonly Reason[]): DecisionFeatures {
  return {
    order: ctx.order,
    orderedAt: orderedAt.toISOString(),
    identities: identitiesOf(ctx),
    evidence,
    signals: fired.map((r) => ({ code: r.code, message: r.message, fields: r.fields })),
  }
}

/** The hour (0–23) the order was placed, in Asia/Tokyo (UTC+9, no daylight saving). */
export function tokyoHour (iso: string): number {
  return new Date(new Date(iso).getTime() + 9 * 3_600_000).getUTCHours()
}
