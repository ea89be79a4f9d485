// Floors: a blocklist hit or a full fraud-address match is high, a partial match, forwarding,
// pick-up/hold or care-of address at least elevated — whatever else fires, 3-D Secure included.
import fc from 'fast-check'
import t from 'tap'
import { REASON_CODES, type Reason, type ReasonCode } from '../../../src/domain/scoring/reason.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { DEFAULT_THRESHOLDS, verdict, type Level, type Thresholds } from '../../../src/domain/scoring/score.js'

const RANK: Record<Level, number> = { low: 0, elevated: 1, high: 2 }
const FLOORS: Partial<Record<ReasonCode, 'elevated' | 'high'>> = RULESET.floors
const NEGATIVE = REASON_CODES.filter((c) => RULESET.weights[c] < 0)
const r = (code: ReasonCode): Reason => ({ code, weight: RULESET.weights[code], message: { ja: code, en: code }, fields: [] })

t.test('the named combinations keep their floor under the default thresholds', async (t) => {
  const cases: Array<[ReasonCode[], Level, string, ReasonCode | null]> = [
    [['BLOCKLIST_HIT', 'THREE_DS_AUTHENTICATED'], 'high', 'hold', 'BLOCKLIST_HIT'],
    [['FRAUD_ADDRESS_FULL', 'THREE_DS_AUTHENTICATED'], 'high', 'hold', 'FRAUD_ADDRESS_FULL'],
    [['FRAUD_ADDRESS_PARTIAL', 'THREE_DS_AUTHENTICATED'], 'elevated', 'review', null],
    [['FORWARDING_ADDRESS', 'THREE_DS_AUTHENTICATED'], 'elevated', 'review', null],
    [['PICKUP_OR_HOLD_ADDRESS', 'THREE_DS_AUTHENTICATED'], 'elevated', 'review', 'PICKUP_OR_HOLD_ADDRESS'],
    [['CARE_OF_ADDRESS', 'THREE_DS_AUTHENTICATED'], 'elevated', 'review', 'CARE_OF_ADDRESS'],
    [['BLOCKLIST_HIT', 'FRAUD_ADDRESS_FULL', 'THREE_DS_AUTHENTICATED'], 'high', 'hold', null],
    [['THREE_DS_AUTHENTICATED'], 'low', 'proceed', null],
    [['BLOCKLIST_HIT'], 'high', 'hold', null],
  ]
  for (const [codes, level, recommendation, floor] of cases) {
    const v = verdict(codes.map(r), DEFAULT_THRESHOLDS)
    t.match(v, { level, recommendation }, codes.join(' + '))
    t.equal(v.floor?.code ?? null, floor, `${codes.join(' + ')}: floor named only when it lifted`)
    const threshold = level === 'low' ? 0 : DEFAULT_THRESHOLDS[level]
    t.ok(v.score >= threshold, `${codes.join(' + ')}: score ${v.score} agrees with ${level}`)
  }
  const v = verdict([r('BLOCKLIST_HIT'), r('THREE_DS_AUTHENTICATED')], DEFAULT_THRESHOLDS)
  t.same({ score: v.score, floor: v.floor }, { score: 50, floor: { code: 'BLOCKLIST_HIT', level: 'high' } }, 'lifted exactly to the high threshold')
})

t.test('every floor holds under every combination of reasons and thresholds', async (t) => {
  const thresholds = fc.integer({ min: 1, max: 99 }).chain((elevated) =>
    fc.integer({ min: elevated + 1, max: 100 }).map((high): Thresholds => ({ elevated, high })))
  const reasons = fc.subarray([...REASON_CODES]).map((codes) => codes.map(r))
  fc.assert(fc.property(reasons, thresholds, (rs, th) => {
    const v = verdict(rs, th)
    const floor = rs.reduce<Level>((m, x) => { const f = FLOORS[x.code]; return f !== undefined && RANK[f] > RANK[m] ? f : m }, 'low')
    if (RANK[v.level] < RANK[floor]) return false
    const expected: Level = v.score >= th.high ? 'high' : v.score >= th.elevated ? 'elevated' : 'low'
    if (expected !== v.level) return false // score and level never disagree
    return v.floor === null || (FLOORS[v.floor.code] === v.floor.level && rs.some((x) => x.code === v.floor?.code))
  }), { numRuns: 2000 })
  t.pass('fast-check found no counterexample')
})

t.test('each floored reason with every negative weight, alone and together', async (t) => {
  const subsets = NEGATIVE.reduce<ReasonCode[][]>((acc, c) => [...acc, ...acc.map((s) => [...s, c])], [[]])
  for (const [code, level] of Object.entries(FLOORS) as Array<[ReasonCode, 'elevated' | 'high']>) {
    for (const negatives of subsets) {
      const v = verdict([code, ...negatives].map(r), DEFAULT_THRESHOLDS)
      t.ok(RANK[v.level] >= RANK[level], `${code} + [${negatives.join(', ')}] is at least ${level}`)
    }
  }
})
