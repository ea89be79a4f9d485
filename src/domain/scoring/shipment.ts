// Shipping-time check (出荷時照合): the final ship-to is judged again — the fraud-address store,
// the place types, the blocklist and the fraud history — and combined with what authorization
// found. Reasons about the destination are always re-judged; the others stand from
// authorization unless the check finds them again. Cash on delivery: the blocklist only.
import type { ScoringContext } from './evidence.js'
import type { Reason, ReasonCode } from './reason.js'
import { RULESET } from './ruleset.js'
import { runSignals, verdict, type Thresholds, type Verdict } from './score.js'
import { blocklistHit } from './signals/blocklist-hit.js'
import { careOfAddress } from './signals/care-of-address.js'
import { forwardingAddress } from './signals/forwarding-address.js'
import { fraudAddressFull, fraudAddressPartial } from './signals/fraud-address.js'
import { fraudHistoryMatch, fraudHistorySimilar } from './signals/fraud-history.js'
import { pickupOrHoldAddress } from './signals/pickup-or-hold-address.js'
import { shortStayAddress } from './signals/short-stay-address.js'

export const SHIPMENT_SIGNALS = [
  fraudAddressFull, fraudAddressPartial, blocklistHit, fraudHistoryMatch, fraudHistorySimilar,
  forwardingAddress, pickupOrHoldAddress, careOfAddress, shortStayAddress,
]

/** About the destination only: an authorization-time one says nothing once the check has run. */
const DESTINATION_CODES: ReadonlySet<ReasonCode> = new Set([
  'FRAUD_ADDRESS_FULL', 'FRAUD_ADDRESS_PARTIAL', 'FORWARDING_ADDRESS', 'PICKUP_OR_HOLD_ADDRESS', 'CARE_OF_ADDRESS', 'SHORT_STAY_ADDRESS',
])

export type Change =
  | { type: 'address_changed' | 'name_changed' | 'phone_changed'; field: string }
  | { type: 'reason_added' | 'reason_removed'; code: ReasonCode }

export type ShipmentVerdict = Verdict & { changes: Change[] }

export function shipmentReasons(ctx: ScoringContext, paymentMethod: string | null): Reason[] {
  return runSignals(ctx, paymentMethod === 'cod' ? [blocklistHit] : SHIPMENT_SIGNALS)
}

/**
 * The combined answer. `before` is the authorization-time reasons (null: never scored);
 * `moved` lists the ship-to fields that differ from authorization. A standing reason is
 * weighed again under today's ruleset: the answer names one version, so every weight in it
 * must come from that version, not from the one the order was scored with.
 */
export function combineShipment(
  now: readonly Reason[], before: readonly Reason[] | null, moved: readonly Change[], thresholds: Thresholds
): ShipmentVerdict {
  if (before === null) return { ...verdict(now, thresholds), changes: [] }
  const found = new Set(now.map((r) => r.code))
  const standing = before.filter((r) => !DESTINATION_CODES.has(r.code) && !found.has(r.code))
    .map((r) => ({ ...r, weight: RULESET.weights[r.code] }))
  const combined = verdict([...standing, ...now].sort((a, b) => b.weight - a.weight || a.code.localeCompare(b.code)), thresholds)
  const had = new Set(before.map((r) => r.code))
  const has = new Set(combined.reasons.map((r) => r.code))
  const changes: Change[] = [
    ...moved,
    ...[...has].filter((c) => !had.has(c)).map((code) => ({ type: 'reason_added' as const, code })),
    ...[...had].filter((c) => !has.has(c)).map((code) => ({ type: 'reason_removed' as const, code })),
  ]
  return { ...combined, changes }
}
