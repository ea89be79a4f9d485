// combineShipment: the authorization-time reasons that stand are weighed under today's ruleset,
// so a shipment answer never sums one ruleset's weights under another's version.
import t from 'tap'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { reason, type Reason } from '../../../src/domain/scoring/reason.js'
import { combineShipment } from '../../../src/domain/scoring/shipment.js'

const THRESHOLDS = { elevated: 10, high: 50 }
const msg = { ja: '理由', en: 'reason' }
/** As an answer stored under an older ruleset carries it: its own weight. */
const old = (code: Reason['code'], weight: number): Reason => ({ ...reason(code, msg, []), weight })

const cases: Array<{ name: string; before: Reason[]; now: Reason[]; score: number; level: string }> = [
  { name: 'a standing reason takes today\'s weight', before: [old('CARD_OVERSEAS', 40)], now: [], score: RULESET.weights.CARD_OVERSEAS, level: 'elevated' },
  { name: 'a negative one too', before: [old('CARD_OVERSEAS', 10), old('THREE_DS_AUTHENTICATED', -40)], now: [],
    score: Math.max(0, RULESET.weights.CARD_OVERSEAS + RULESET.weights.THREE_DS_AUTHENTICATED), level: 'low' },
  { name: 'destination reasons are judged again, not weighed', before: [old('FORWARDING_ADDRESS', 99), old('EMAIL_FREE_DOMAIN', 9)], now: [],
    score: RULESET.weights.EMAIL_FREE_DOMAIN, level: 'low' },
  { name: 'found again now: today\'s reason, once', before: [old('BLOCKLIST_HIT', 1)], now: [reason('BLOCKLIST_HIT', msg, [])],
    score: RULESET.weights.BLOCKLIST_HIT, level: 'high' },
]

for (const c of cases) {
  t.test(c.name, async (t) => {
    const v = combineShipment(c.now, c.before, [], THRESHOLDS)
    for (const r of v.reasons) t.equal(r.weight, RULESET.weights[r.code], `${r.code} weighs ${RULESET.weights[r.code]} (${RULESET.version})`)
    t.equal(v.score, c.score)
    t.equal(v.level, c.level)
  })
}
