// A shipment is decided on the signals found now and the authorization-time ones that stand,
// all weighed under one table: a standing reason never keeps the weight of the version it was
// scored with, and a destination reason from authorization says nothing once the check ran.
import t from 'tap'
import { decide } from '../../../src/domain/rules/decide.js'
import type { FiredSignal } from '../../../src/domain/scoring/features.js'
import { NO_EVIDENCE } from '../../../src/domain/scoring/evidence.js'
import { CURRENT_BUILTIN, RULESET } from '../../../src/domain/scoring/ruleset.js'
import type { ReasonCode } from '../../../src/domain/scoring/reason.js'
import { shipmentChanges, shipmentSignals } from '../../../src/domain/scoring/shipment.js'

const THRESHOLDS = { elevated: 10, high: 50 }
const fired = (code: ReasonCode): FiredSignal => ({ code, message: { ja: '理由', en: 'reason' }, fields: [] })
const features = (signals: FiredSignal[]) => ({
  order: { orderId: 'ORD-1', amount: 0, paymentMethod: 'other' as const, buyer: { name: '', email: '', address: {} } },
  orderedAt: '2026-12-08T01:00:00.000Z', identities: {}, evidence: NO_EVIDENCE, signals,
})

const cases: Array<{ name: string; before: ReasonCode[] | null; now: ReasonCode[]; codes: ReasonCode[]; score: number; level: string }> = [
  { name: 'a standing reason takes today\'s weight', before: ['CARD_OVERSEAS'], now: [], codes: ['CARD_OVERSEAS'], score: RULESET.weights.CARD_OVERSEAS, level: 'elevated' },
  { name: 'a negative one too', before: ['CARD_OVERSEAS', 'THREE_DS_AUTHENTICATED'], now: [], codes: ['CARD_OVERSEAS', 'THREE_DS_AUTHENTICATED'],
    score: Math.max(0, RULESET.weights.CARD_OVERSEAS + RULESET.weights.THREE_DS_AUTHENTICATED), level: 'low' },
  { name: 'destination reasons are judged again, not carried', before: ['FORWARDING_ADDRESS', 'EMAIL_FREE_DOMAIN'], now: [], codes: ['EMAIL_FREE_DOMAIN'],
    score: RULESET.weights.EMAIL_FREE_DOMAIN, level: 'low' },
  { name: 'found again now: counted once', before: ['BLOCKLIST_HIT'], now: ['BLOCKLIST_HIT'], codes: ['BLOCKLIST_HIT'], score: RULESET.weights.BLOCKLIST_HIT, level: 'high' },
  { name: 'never scored: only what the check found', before: null, now: ['FRAUD_ADDRESS_PARTIAL'], codes: ['FRAUD_ADDRESS_PARTIAL'], score: RULESET.weights.FRAUD_ADDRESS_PARTIAL, level: 'elevated' },
]

for (const c of cases) {
  t.test(c.name, async (t) => {
    const signals = shipmentSignals(c.now.map(fired), c.before === null ? null : c.before.map(fired))
    const d = decide(features(signals), { builtin: CURRENT_BUILTIN, ruleset: null, thresholds: THRESHOLDS })
    t.same(d.reasons.map((r) => r.code).sort(), [...c.codes].sort())
    for (const r of d.reasons) t.equal(r.weight, RULESET.weights[r.code as ReasonCode], `${r.code} weighs ${RULESET.version}'s weight`)
    t.equal(d.score, c.score)
    t.equal(d.level, c.level)
  })
}

t.test('changes: reasons added and removed since authorization, after the moved fields', async (t) => {
  const moved = [{ type: 'address_changed' as const, field: 'shipTo.address' }]
  t.same(shipmentChanges([fired('FORWARDING_ADDRESS'), fired('CARD_OVERSEAS')], [{ code: 'CARD_OVERSEAS' }, { code: 'FRAUD_ADDRESS_FULL' }, { code: 'MERCHANT_RULE' }], moved), [
    ...moved, { type: 'reason_added', code: 'FRAUD_ADDRESS_FULL' }, { type: 'reason_removed', code: 'FORWARDING_ADDRESS' },
  ])
  t.same(shipmentChanges(null, [{ code: 'CARD_OVERSEAS' }], []), [], 'never scored: nothing changed')
})
