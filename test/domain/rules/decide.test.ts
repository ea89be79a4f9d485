// decide(): the built-in table weighs the stored signals, merchant rules see the result, and the
// precedence holds — hold beats proceed beats review, add rules move the score, the floors hold
// against any score and only a rule that sets proceed (or review) overrides them, said in the trace.
import t from 'tap'
import { compileRuleset } from '../../../src/domain/rules/cel.js'
import { decide, type DecisionSetup } from '../../../src/domain/rules/decide.js'
import type { Rule, RulesetBody } from '../../../src/domain/rules/ruleset.js'
import { NO_EVIDENCE } from '../../../src/domain/scoring/evidence.js'
import type { DecisionFeatures, FiredSignal } from '../../../src/domain/scoring/features.js'
import type { ReasonCode } from '../../../src/domain/scoring/reason.js'
import { CURRENT_BUILTIN, RULESET } from '../../../src/domain/scoring/ruleset.js'

const W = RULESET.weights
const fired = (code: ReasonCode): FiredSignal => ({ code, message: { ja: '理由', en: 'reason' }, fields: [] })
const HOME = { prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1' }

function features (codes: ReasonCode[], patch: Partial<DecisionFeatures['order']> = {}): DecisionFeatures {
  return {
    order: { orderId: 'ORD-1', amount: 5800, paymentMethod: 'card', buyer: { name: '山田 太郎', email: 'taro@example.co.jp', address: HOME }, ...patch },
    orderedAt: '2026-12-08T01:00:00.000Z',
    identities: { email: 'taro@example.co.jp', emailDomain: 'example.co.jp' },
    evidence: NO_EVIDENCE,
    signals: codes.map(fired),
  }
}

function setup (body: RulesetBody | null, thresholds = { elevated: 10, high: 50 }): DecisionSetup {
  if (body === null) return { builtin: CURRENT_BUILTIN, ruleset: null, thresholds }
  const compiled = compileRuleset(body)
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors))
  return { builtin: CURRENT_BUILTIN, ruleset: { version: 7, compiled: compiled.ruleset }, thresholds }
}

const rule = (id: string, when: string, action: Rule['action']): Rule => ({ id, name: `ルール${id}`, when, action })

t.test('no merchant version: the built-in verdict, decided by the score or a floor', async (t) => {
  const low = decide(features(['EMAIL_FREE_DOMAIN']), setup(null))
  t.match(low, { score: W.EMAIL_FREE_DOMAIN, level: 'low', recommendation: 'proceed', trace: { ruleset: null, rules: [], decidedBy: { by: 'score' }, builtin: RULESET.version } })
  const floored = decide(features(['FRAUD_ADDRESS_PARTIAL']), setup(null, { elevated: 30, high: 60 }))
  t.match(floored, { score: 30, level: 'elevated', recommendation: 'review', trace: { decidedBy: { by: 'floor', code: 'FRAUD_ADDRESS_PARTIAL' } } })
})

t.test('an add rule is a MERCHANT_RULE reason with its points, naming the rule', async (t) => {
  const d = decide(features([], { amount: 60000 }), setup({ rules: [rule('big', 'order.amount >= 50000', { add: 20 })] }))
  t.match(d, { score: 20, level: 'elevated', recommendation: 'review' })
  t.same(d.reasons.map((r) => [r.code, r.weight, r.rule?.id]), [['MERCHANT_RULE', 20, 'big']])
  t.same(d.trace.rules, [{ id: 'big', outcome: 'matched' }])
  t.same(d.trace.contributions, [{ code: 'MERCHANT_RULE', weight: 20, ruleId: 'big' }])
  const not = decide(features([], { amount: 1000 }), setup({ rules: [rule('big', 'order.amount >= 50000', { add: 20 })] }))
  t.match(not, { score: 0, reasons: [], trace: { rules: [{ id: 'big', outcome: 'not_matched' }] } })
})

t.test('rules see the built-in reasons and score', async (t) => {
  const body = { rules: [rule('free-velocity', "'VELOCITY_SHIP_TO' in reasons && score >= 30", { set: 'hold' })] }
  t.match(decide(features(['VELOCITY_SHIP_TO']), setup(body)), { recommendation: 'hold', trace: { builtinScore: W.VELOCITY_SHIP_TO, decidedBy: { by: 'rule', ruleId: 'free-velocity', set: 'hold', overrode: 'review' } } })
  t.match(decide(features(['EMAIL_FREE_DOMAIN']), setup(body)), { recommendation: 'proceed', trace: { decidedBy: { by: 'score' } } })
})

t.test('precedence: hold beats proceed beats review', async (t) => {
  const all = (a: string, b: string, c: string) => ({ rules: [rule('r', a, { set: 'review' }), rule('p', b, { set: 'proceed' }), rule('h', c, { set: 'hold' })] })
  t.match(decide(features([]), setup(all('true', 'true', 'true'))), { recommendation: 'hold', trace: { decidedBy: { ruleId: 'h' } } })
  t.match(decide(features([]), setup(all('true', 'true', 'false'))), { recommendation: 'proceed', trace: { decidedBy: { ruleId: 'p', overrode: null } } })
  t.match(decide(features([]), setup(all('true', 'false', 'false'))), { recommendation: 'review', trace: { decidedBy: { ruleId: 'r', overrode: 'proceed' } } })
  t.match(decide(features(['VELOCITY_SHIP_TO', 'VELOCITY_BUYER']), setup(all('true', 'false', 'false'))),
    { score: W.VELOCITY_SHIP_TO + W.VELOCITY_BUYER, recommendation: 'hold', trace: { decidedBy: { by: 'score' } } }, 'a review rule never lowers a hold')
})

t.test('floors: negative points never pull below them; only a rule that sets proceed overrides, and the trace says so', async (t) => {
  const minus = { rules: [rule('trust', 'true', { add: -100 })] }
  t.match(decide(features(['BLOCKLIST_HIT']), setup(minus)), { score: 50, level: 'high', recommendation: 'hold', trace: { decidedBy: { by: 'floor', code: 'BLOCKLIST_HIT' } } })
  const allow = { rules: [rule('vip', "order.buyer.email == 'taro@example.co.jp'", { set: 'proceed' })] }
  t.match(decide(features(['BLOCKLIST_HIT']), setup(allow, { elevated: 10, high: 70 })), {
    score: 70, level: 'high', recommendation: 'proceed',
    trace: { floor: { code: 'BLOCKLIST_HIT', level: 'high' }, decidedBy: { by: 'rule', ruleId: 'vip', set: 'proceed', overrode: 'hold' } },
  })
  const review = { rules: [rule('look', 'true', { set: 'review' })] }
  t.match(decide(features(['FRAUD_ADDRESS_FULL']), setup(review)), { recommendation: 'hold' }, 'review does not lower a full match')
})

t.test('weights and thresholds of the version replace the built-in ones', async (t) => {
  const d = decide(features(['EMAIL_FREE_DOMAIN', 'CARD_OVERSEAS']), setup({ rules: [], weights: { EMAIL_FREE_DOMAIN: 0, CARD_OVERSEAS: 40 }, thresholds: { elevated: 20, high: 40 } }))
  t.match(d, { score: 40, level: 'high', recommendation: 'hold', trace: { thresholds: { elevated: 20, high: 40 } } })
  t.same(d.reasons.map((r) => [r.code, r.weight]), [['CARD_OVERSEAS', 40], ['EMAIL_FREE_DOMAIN', 0]])
})

t.test('a rule that errors at run time counts as not matched, is in the trace, and never fails the decision', async (t) => {
  const body = { rules: [
    rule('far', 'order.shipTo.address.prefecture != order.buyer.address.prefecture', { add: 30 }),
    rule('div', 'order.amount / (order.amount - order.amount) > 1', { set: 'hold' }),
    rule('ok', 'order.amount > 0', { add: 5 }),
  ] }
  const d = decide(features([]), setup(body))
  t.match(d, { score: 5, recommendation: 'proceed' })
  t.match(d.trace.rules, [{ id: 'far', outcome: 'error', error: String }, { id: 'div', outcome: 'error', error: String }, { id: 'ok', outcome: 'matched' }])
})

t.test('the same features and setup decide the same, every time', async (t) => {
  const body = { rules: [rule('night', 'hour >= 0 && hour < 6', { add: 15 }), rule('big', 'order.amount >= 50000', { add: 20 })] }
  const f = features(['EMAIL_FREE_DOMAIN', 'SHIP_TO_DIFFERS'], { amount: 80000 })
  const first = JSON.stringify(decide(f, setup(body)))
  for (let i = 0; i < 20; i++) t.equal(JSON.stringify(decide(structuredClone(f), setup(body))), first)
  t.match(decide(f, setup(body)), { trace: { rules: [{ id: 'night', outcome: 'matched' }, { id: 'big', outcome: 'matched' }] } }, '01:00 UTC is 10:00 in Tokyo… ')
})
