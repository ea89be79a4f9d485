// What compileRuleset refuses, with the exact RuleError a merchant's draft gets back, and the
// limits on both sides of the line. Every refusal is collected, not just the first.
import t from 'tap'
import { compileRuleset } from '../../../src/domain/rules/cel.js'
import { backtrackingRisk } from '../../../src/domain/rules/cel-regex.js'
import { RULE_LIMITS, type Rule, type RuleError, type RulesetBody } from '../../../src/domain/rules/ruleset.js'

const rule = (id: string, when: string, action: Rule['action'] = { add: 10 }): Rule => ({ id, name: `rule ${id}`, when, action })
const refusals = (body: RulesetBody): RuleError[] => {
  const c = compileRuleset(body)
  return c.ok ? [] : c.errors
}
/** The one refusal of a single rule `r` at index 0, as [path, position, reason]. */
const whenRefusal = (when: string, action?: Rule['action']) =>
  refusals({ rules: [rule('r', when, action)] }).map((e) => [e.ruleId, e.index, e.path, e.position, e.reason])

const whens: Array<[string, string, number | null, string]> = [
  // Unknown fields and variables.
  ['unknown field', 'order.amout > 50000', 6, "unknown field 'amout' of order"],
  ['unknown nested field', "order.buyer.emial.endsWith('x')", 12, "unknown field 'emial' of order.buyer"],
  ['unknown field of an item', 'order.items.exists(i, i.price > 1)', 24, "unknown field 'price' of i"],
  ['unknown variable', 'amount > 1', 0, "unknown variable 'amount'"],
  ['unknown field inside has()', 'has(order.amout)', 10, "unknown field 'amout' of order"],
  ['unknown nested field inside has()', 'has(order.shipTo.adress.city)', 17, "unknown field 'adress' of order.shipTo"],
  ['has() of a field of an int', 'has(order.amount.x)', 17, "order.amount is int and has no field 'x'"],
  ['has() of an item field in exists()', 'order.items.exists(i, has(i.price))', 28, "unknown field 'price' of i"],
  ['has() through cel.bind', 'cel.bind(b, order.buyer, has(b.mail))', 31, "unknown field 'mail' of b"],
  // Wrong types.
  ['int against string', 'order.amount == "x"', 0, "operator '==' does not apply to int and string"],
  ['int plus string', "score + 'a' == 'b'", 0, "operator '+' does not apply to int and string"],
  ['unknown method', "order.buyer.email.reverse() == ''", 0, 'no function string.reverse()'],
  ['double in a list of ints', 'features.amountRatio in [1, 2]', 0, "operator 'in' does not apply to double and list<int>"],
  ['not bool: int', 'score', null, 'must be a bool expression, is int'],
  ['not bool: string', 'order.buyer.email', null, 'must be a bool expression, is string'],
  ['not bool: list', 'order.items', null, 'must be a bool expression, is list<Item>'],
  // Syntax.
  ['unfinished', 'order.amount >', 14, 'syntax error: unexpected token: EOF'],
  ['stray character', 'order.amount > 1 &&& true', 19, 'syntax error: unexpected character: &'],
  ['unterminated string', "'abc", 0, 'syntax error: unterminated string'],
  ['has() of a root', 'has(order)', 4, 'has() takes a field, as in has(order.shipTo)'],
  // Regular expressions.
  ['pattern not a literal', 'order.buyer.email.matches(order.buyer.name)', 0, 'matches() takes a string literal pattern'],
  ['nested repetition', "order.buyer.email.matches('(a+)+$')", 26, 'pattern refused: a repeated group may not contain a repetition or an alternative (|): it can backtrack for ever'],
  ['repeated alternatives', "order.buyer.email.matches('(a|aa)*b')", 26, 'pattern refused: a repeated group may not contain a repetition or an alternative (|): it can backtrack for ever'],
  ['invalid pattern', "order.buyer.email.matches('[a-')", 26, 'invalid regular expression (JavaScript syntax: no (?i) flags)'],
  ['RE2 flags', "order.buyer.email.matches('(?i)^taro')", 26, 'invalid regular expression (JavaScript syntax: no (?i) flags)'],
  ['backreference', "order.buyer.email.matches('(.)\\\\1')", 26, 'pattern refused: backreferences are not allowed'],
]
for (const [name, when, position, reason] of whens) {
  t.test(`refused: ${name}`, async (t) => {
    t.same(whenRefusal(when), [['r', 0, 'rules[0].when', position, reason]])
  })
}

const accepted = [
  "order.buyer.email.matches('^[a-z0-9.+-]+@(example|test)\\\\.jp$')",
  "order.buyer.email.matches('^[a-z]+(\\\\.[a-z]+)?@x$')",
  "order.buyer.name.matches('^[ァ-ヶー　 ]+$')",
  "order.items.exists(i, has(i.category) && i.category == 'gift_card')",
  'order.items.all(order, has(order.sku))', // the iteration variable shadows the root
]
for (const when of accepted) t.test(`accepted: ${when}`, async (t) => { t.same(whenRefusal(when), []) })

t.test('backtracking risk of patterns', async (t) => {
  const cases: Array<[string, boolean]> = [
    ['^a+$', false], ['(ab)+', false], ['(a+)?', false], ['[(a+)]+', false], ['\\(a+\\)+', false], ['(?:x|y)', false],
    ['(a+)+', true], ['(a*)*', true], ['(a|b)+', true], ['((ab)*c)+', true], ['(a+){2,}', true], ['(?<n>a)\\k<n>', true],
  ]
  for (const [pattern, risky] of cases) t.equal(backtrackingRisk(pattern) !== null, risky, pattern)
})

const actions: Array<[Rule['action'], string | null]> = [
  [{ add: 100 }, null], [{ add: -100 }, null], [{ add: 0 }, null], [{ set: 'hold' }, null], [{ set: 'proceed' }, null],
  [{ add: 101 }, 'must be an integer from -100 to 100, is 101'],
  [{ add: -101 }, 'must be an integer from -100 to 100, is -101'],
  [{ add: 2.5 }, 'must be an integer from -100 to 100, is 2.5'],
  [{ set: 'block' } as unknown as Rule['action'], "must be 'proceed', 'review' or 'hold'"],
]
for (const [action, reason] of actions) {
  t.test(`action ${JSON.stringify(action)}`, async (t) => {
    const path = 'add' in action ? 'rules[0].action.add' : 'rules[0].action.set'
    t.same(whenRefusal('true', action), reason === null ? [] : [['r', 0, path, null, reason]])
  })
}

t.test('rule ids: unique, and of the allowed characters', async (t) => {
  t.same(refusals({ rules: [rule('a', 'true'), rule('b', 'true'), rule('a', 'false'), rule('bad id', 'true')] }), [
    { ruleId: 'a', index: 2, path: 'rules[2].id', position: null, reason: "duplicate rule id 'a'" },
    { ruleId: 'bad id', index: 3, path: 'rules[3].id', position: null, reason: 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -' },
  ])
})

t.test('weights: known reason codes, integer points within bounds', async (t) => {
  t.same(refusals({ rules: [], weights: { EMAIL_FREE_DOMAIN: 0, VELOCITY_SHIP_TO: 100, THREE_DS_AUTHENTICATED: -100 } }), [])
  const weights = { NOT_A_CODE: 5, EMAIL_FREE_DOMAIN: 101, KANA_MISMATCH: 1.5 } as RulesetBody['weights']
  t.same(refusals({ rules: [], weights }), [
    { ruleId: '', index: -1, path: 'weights.NOT_A_CODE', position: null, reason: "unknown reason code 'NOT_A_CODE'" },
    { ruleId: '', index: -1, path: 'weights.EMAIL_FREE_DOMAIN', position: null, reason: 'must be an integer from -100 to 100, is 101' },
    { ruleId: '', index: -1, path: 'weights.KANA_MISMATCH', position: null, reason: 'must be an integer from -100 to 100, is 1.5' },
  ])
})

t.test('thresholds: 0–100, elevated below high', async (t) => {
  const at = (path: string, reason: string) => ({ ruleId: '', index: -1, path, position: null, reason })
  t.same(refusals({ rules: [], thresholds: { elevated: 0, high: 100 } }), [])
  t.same(refusals({ rules: [], thresholds: { elevated: 50, high: 50 } }), [at('thresholds.elevated', 'must be below thresholds.high (50), is 50')])
  t.same(refusals({ rules: [], thresholds: { elevated: 60, high: 40 } }), [at('thresholds.elevated', 'must be below thresholds.high (40), is 60')])
  t.same(refusals({ rules: [], thresholds: { elevated: -1, high: 101 } }), [
    at('thresholds.elevated', 'must be an integer from 0 to 100, is -1'),
    at('thresholds.high', 'must be an integer from 0 to 100, is 101'),
  ])
})

t.test('limit: rules per version', async (t) => {
  const rules = (n: number) => Array.from({ length: n }, (_, i) => rule(`r${i}`, 'score > 10'))
  t.ok(compileRuleset({ rules: rules(RULE_LIMITS.rulesPerVersion) }).ok)
  t.same(refusals({ rules: rules(RULE_LIMITS.rulesPerVersion + 1) }), [
    { ruleId: '', index: -1, path: 'rules', position: null, reason: 'more than 200 rules (201)' },
  ])
})

t.test('limit: length of when', async (t) => {
  const literal = (n: number) => `order.orderId == '${'x'.repeat(n - 19)}'`
  t.equal(literal(RULE_LIMITS.whenLength).length, RULE_LIMITS.whenLength)
  t.same(whenRefusal(literal(RULE_LIMITS.whenLength)), [])
  t.same(whenRefusal(literal(RULE_LIMITS.whenLength + 1)), [['r', 0, 'rules[0].when', null, 'longer than 2000 characters (2001)']])
})

t.test('limit: nesting depth', async (t) => {
  const nested = (n: number) => '('.repeat(n) + 'true' + ')'.repeat(n)
  t.same(whenRefusal(nested(RULE_LIMITS.depth - 1)), [])
  t.same(whenRefusal(nested(RULE_LIMITS.depth)), [['r', 0, 'rules[0].when', 32, 'nested deeper than 32 levels']])
  const calls = 'size('.repeat(33) + "''" + ')'.repeat(33) + ' > 0'
  t.same(whenRefusal(calls), [['r', 0, 'rules[0].when', 160, 'nested deeper than 32 levels']])
})

t.test('limit: nodes of the syntax tree', async (t) => {
  const sum = (n: number) => `${Array.from({ length: n }, () => '1').join('+')} > 0`
  t.same(whenRefusal(sum(240)), []) // 479 nodes, and the comparison's two
  t.same(whenRefusal(sum(260)), [['r', 0, 'rules[0].when', null, 'more than 500 nodes in its syntax tree']])
})

t.test('every refusal of a draft comes back, in order', async (t) => {
  const body: RulesetBody = {
    rules: [rule('a', 'order.amout > 1'), rule('a', 'score', { add: 500 }), rule('ok', 'true')],
    weights: { EMAIL_FREE_DOMAIN: 200 },
    thresholds: { elevated: 70, high: 20 },
  }
  t.same(refusals(body).map((e) => e.path), [
    'weights.EMAIL_FREE_DOMAIN', 'thresholds.elevated', 'rules[0].when', 'rules[1].id', 'rules[1].when', 'rules[1].action.add',
  ])
})
