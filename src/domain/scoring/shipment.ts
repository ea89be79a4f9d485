// Shipping-time check (出荷時照合): the final ship-to is judged again — the fraud-address store,
// the place types, the blocklist and the fraud history — and combined with what authorization
// found. Reasons about the destination are always re-judged; the others stand from
// authorization unless the check finds them again. Cash on delivery: the blocklist only. The
// combined features are decided like any order (domain/rules/decide.ts), merchant rules included.
import { NO_EVIDENCE, type Evidence, type ScoringContext } from './evidence.js'
import { featuresOf, identitiesOf, type DecisionFeatures, type FiredSignal } from './features.js'
import type { SignalContext } from './order.js'
import { REASON_CODES, type Reason, type ReasonCode } from './reason.js'
import { runSignals, type Signal } from './score.js'
import { SIGNALS } from './signals/index.js'

/** The signals a signal file marks as judged again at shipping time. */
export const SHIPMENT_SIGNALS: readonly Signal[] = SIGNALS.filter((s) => s.shipment !== undefined)

const COD_SHIPMENT_SIGNALS: readonly Signal[] = SHIPMENT_SIGNALS.filter((s) => s.cod === true)

/** About the destination only: an authorization-time one says nothing once the check has run. */
export const DESTINATION_CODES: ReadonlySet<ReasonCode> =
  new Set(SIGNALS.filter((s) => s.shipment === 'destination').map((s) => s.code))

export type Change =
  | { type: 'address_changed' | 'name_changed' | 'phone_changed'; field: string }
  | { type: 'reason_added' | 'reason_removed'; code: ReasonCode }

export function shipmentReasons(ctx: ScoringContext, paymentMethod: string | null): Reason[] {
  return runSignals(ctx, paymentMethod === 'cod' ? COD_SHIPMENT_SIGNALS : SHIPMENT_SIGNALS)
}

/**
 * The signals a shipment is decided on: what the check found now, and the authorization-time
 * ones that stand (`before`; null: never scored). A destination reason from authorization says
 * nothing once the check has run; one found again counts once. The decision weighs them all
 * under one table, so a standing reason never keeps the weight of the version it was scored with.
 */
export function shipmentSignals(now: readonly FiredSignal[], before: readonly FiredSignal[] | null): FiredSignal[] {
  if (before === null) return [...now]
  const found = new Set(now.map((r) => r.code))
  return [...before.filter((r) => !DESTINATION_CODES.has(r.code) && !found.has(r.code)), ...now]
}

/** The order's features at shipping time: authorization's, with the ship-to and its evidence now. */
export function shipmentFeatures(
  stored: DecisionFeatures | null, ctx: SignalContext, checkedAt: Date, destination: Pick<Evidence, 'fraudAddress' | 'blocklist' | 'history'>, signals: FiredSignal[]
): DecisionFeatures {
  if (stored === null) return { ...featuresOf(ctx, checkedAt, { ...NO_EVIDENCE, ...destination }, []), signals }
  const now = identitiesOf(ctx)
  // The ship-to's identities are today's; the buyer's stand from authorization.
  const { shipToName: _n, shipToPrefecture: _p, shipToCity: _c, shipToPostalCode: _z, ...kept } = stored.identities
  return {
    ...stored,
    order: { ...stored.order, shipTo: ctx.order.shipTo },
    identities: { ...kept, ...pick(now, ['shipToName', 'shipToPrefecture', 'shipToCity', 'shipToPostalCode']) },
    evidence: { ...stored.evidence, ...destination },
    signals,
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<T> {
  const out: Partial<T> = {}
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k]
  return out
}

/** What changed since authorization: the moved ship-to fields, and the built-in reasons added or removed. */
export function shipmentChanges(before: readonly FiredSignal[] | null, after: readonly { code: string }[], moved: readonly Change[]): Change[] {
  if (before === null) return []
  const had = new Set<ReasonCode>(before.map((r) => r.code))
  const has = new Set<ReasonCode>(after.filter((r) => (REASON_CODES as readonly string[]).includes(r.code)).map((r) => r.code as ReasonCode))
  return [
    ...moved,
    ...[...has].filter((c) => !had.has(c)).map((code) => ({ type: 'reason_added' as const, code })),
    ...[...had].filter((c) => !has.has(c)).map((code) => ({ type: 'reason_removed' as const, code })),
  ]
}
