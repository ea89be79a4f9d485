// The CEL engine of merchant rules: the README's examples, then every refusal with its exact
// RuleError, runtime failures as 'error' outcomes, the limits, and the vocabulary's coverage.
import t from 'tap'
import { compileRuleset, VOCABULARY } from '../../../src/domain/rules/cel.js'
import { decide } from '../../../src/domain/rules/decide.js'
import { NO_EVIDENCE } from '../../../src/domain/scoring/evidence.js'
import type { DecisionFeatures } from '../../../src/domain/scoring/features.js'
import { CURRENT_BUILTIN } from '../../../src/domain/scoring/ruleset.js'
import { DEFAULT_THRESHOLDS } from '../../../src/domain/scoring/score.js'
import type { Rule, RulesetBody } from '../../../src/domain/rules/ruleset.js'
import type { RuleVariables } from '../../../src/domain/rules/vocabulary.js'

type DeepRequired<T> = T extends Array<infer U> ? Array<DeepRequired<U>> : T extends object ? { [K in keyof T]-?: DeepRequired<T[K]> } : T

const address = { postalCode: '1500043', prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '101', building: 'ビル', line: '東京都渋谷区道玄坂1-2-3' }
// Every field present: a field added to the vocabulary's TS types without a CEL declaration fails the coverage test.
const full: DeepRequired<RuleVariables> = {
  order: {
    orderId: 'o-1', orderedAt: '2026-12-08T03:00:00+09:00', amount: 64000, currency: 'JPY', paymentMethod: 'card',
    card: { bin: '411111', last4: '1111', issuerCountry: 'US', threeDSecure: 'failed', holderName: 'TARO YAMADA' },
    buyer: { name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: 'taro@example-free.jp', phone: '09012345678', address, ip: '203.0.113.7' },
    shipTo: { name: '山田 花子', nameKana: 'ヤマダ ハナコ', phone: '09087654321', address: { ...address, prefecture: '沖縄県', city: '那覇市' } },
    items: [{ sku: 'GC-1', name: 'Gift card', category: 'gift_card', unitPrice: 10000, quantity: 3 }, { sku: 'P-2', name: 'Pen', category: 'stationery', unitPrice: 300, quantity: 2 }],
  },
  identities: {
    email: 'taro@example-free.jp', emailDomain: 'example-free.jp', phone: '+819012345678', buyerName: 'やまだたろう', shipToName: 'やまだはなこ',
    buyerPrefecture: '東京都', buyerCity: '渋谷区', shipToPrefecture: '沖縄県', shipToCity: '那覇市', shipToPostalCode: '9000001',
  },
  features: {
    addressMatch: 'partial', addressMatchCount: 2, blocklistFields: ['buyer.email'], historyMatchFields: ['buyer.phone'], historySimilarFields: [],
    shipToBuyers: 4, buyerHighValueOrders: 1, merchantOrders: 120, typicalAmount: 8000, amountRatio: 8,
  },
  reasons: ['VELOCITY_SHIP_TO', 'SHIP_TO_DIFFERS'],
  score: 35,
  hour: 3,
  lists: { blocklist: ['email'] },
}
const bare: RuleVariables = {
  order: { orderId: 'o-2', amount: 3000, paymentMethod: 'cod', buyer: { name: '佐藤 花子', email: 'hanako@example.jp', address: { prefecture: '大阪府' } } },
  identities: {},
  features: { ...full.features, addressMatch: 'none', addressMatchCount: 0, blocklistFields: [], historyMatchFields: [], typicalAmount: 0, amountRatio: 0 },
  reasons: [],
  score: 0,
  hour: 14,
  lists: { blocklist: [] },
}
const withShipTo = (prefecture: string): RuleVariables => ({ ...full, order: { ...full.order, shipTo: { address: { prefecture } } } })

const rule = (id: string, when: string, action: Rule['action'] = { add: 10 }): Rule => ({ id, name: `rule ${id}`, when, action })
function outcome (when: string, vars: RuleVariables) {
  const c = compileRuleset({ rules: [rule('r', when)] })
  if (!c.ok) throw new Error(`${when}: ${JSON.stringify(c.errors)}`)
  const [o] = c.ruleset.evaluate(vars)
  return o?.outcome === 'error' ? `error: ${o.error}` : o?.outcome
}

const README_SHIP_TO = 'order.amount >= 50000 && order.shipTo.address.prefecture != order.buyer.address.prefecture'
const README_FREE_MAIL = "order.buyer.email.endsWith('@example-free.jp') && 'VELOCITY_SHIP_TO' in reasons"
const evaluations: Array<[string, RuleVariables, string]> = [
  // The README's examples first.
  [README_SHIP_TO, withShipTo('沖縄県'), 'matched'],
  [README_SHIP_TO, withShipTo('東京都'), 'not_matched'],
  [README_SHIP_TO, bare, 'not_matched'], // && short-circuits before reading the absent shipTo
  [README_SHIP_TO, { ...bare, order: { ...bare.order, amount: 60000 } }, 'error: order.shipTo is absent'],
  [README_FREE_MAIL, full, 'matched'],
  [README_FREE_MAIL, { ...full, reasons: ['SHIP_TO_DIFFERS'] }, 'not_matched'],
  [README_FREE_MAIL, bare, 'not_matched'],
  // Optional fields: has() tests them, reading an absent one is an error outcome.
  ['has(order.shipTo) && order.shipTo.address.prefecture != order.buyer.address.prefecture', full, 'matched'],
  ['has(order.shipTo) && order.shipTo.address.prefecture != order.buyer.address.prefecture', bare, 'not_matched'],
  ['!has(order.card)', bare, 'matched'],
  ['has(order.card.issuerCountry)', full, 'matched'],
  ['has(order.card.issuerCountry)', bare, 'error: order.card is absent'],
  ['has(identities.phone)', bare, 'not_matched'],
  ["order.card.issuerCountry != 'JP'", bare, 'error: order.card is absent'],
  ["order.buyer.address.city == '渋谷区'", bare, 'error: order.buyer.address.city is absent'],
  ["order.?shipTo.address.prefecture.orValue('') == ''", bare, 'matched'],
  ["order.?card.issuerCountry.orValue('JP') != 'JP'", full, 'matched'],
  ["order.items.exists(i, has(i.category) && i.category == 'gift_card')", full, 'matched'],
  ["has(order.items) && order.items.exists(i, i.category == 'gift_card')", bare, 'not_matched'],
  // Every root.
  ['hour >= 1 && hour < 5', full, 'matched'],
  ['hour >= 1 && hour < 5', bare, 'not_matched'],
  ['score >= 30', full, 'matched'],
  ["'email' in lists.blocklist", full, 'matched'],
  ['size(lists.blocklist) == 0', bare, 'matched'],
  ["identities.emailDomain == 'example-free.jp' && identities.shipToPrefecture == '沖縄県'", full, 'matched'],
  ["features.addressMatch == 'partial' && features.addressMatchCount >= 2", full, 'matched'],
  ["'buyer.email' in features.blocklistFields && size(features.historySimilarFields) == 0", full, 'matched'],
  ['features.shipToBuyers > 3 && features.buyerHighValueOrders == 1 && features.merchantOrders >= 30', full, 'matched'],
  ['order.items.map(i, i.unitPrice * i.quantity) == [30000, 600]', full, 'matched'],
  ['order.items[0].quantity == 3', full, 'matched'],
  // int against double: both sides compare by value.
  ['features.amountRatio > 3', full, 'matched'],
  ['features.amountRatio > 3.0', full, 'matched'],
  ['features.amountRatio == 0', bare, 'matched'],
  ['features.amountRatio != 0 && 8 == features.amountRatio', full, 'matched'],
  ['features.amountRatio == 0.0', bare, 'matched'],
  ['score > 34.5', full, 'matched'],
  ['features.typicalAmount * 8 == order.amount', full, 'matched'],
  // Standard CEL string functions.
  ["order.buyer.email.startsWith('taro@') && order.buyer.email.contains('free')", full, 'matched'],
  ["order.buyer.email.matches('^[a-z]+@example-free\\\\.jp$')", full, 'matched'],
  ["order.buyer.name.matches('^[A-Za-z ]+$')", full, 'not_matched'],
  // Runtime failures are outcomes, never throws.
  ['score / 0 == 1', full, 'error: division by zero'],
  ['order.amount * 9223372036854775807 > 0', full, 'error: integer overflow: 590295810358705651648000'],
  ['order.items[5].quantity == 1', full, 'error: No such key: index out of bounds, index 5 >= size 2'],
  ['int(order.buyer.email) > 0', full, 'error: int() type error: cannot convert to int'],
]
for (const [when, vars, expected] of evaluations) {
  t.test(`${when} → ${expected}`, async (t) => { t.equal(outcome(when, vars), expected) })
}

t.test('outcomes come one per rule, in order, each rule evaluated on its own', async (t) => {
  const c = compileRuleset({ rules: [rule('a', 'score / 0 == 1'), rule('b', 'score > 10'), rule('c', 'score > 90', { set: 'hold' })] })
  t.ok(c.ok)
  if (!c.ok) return
  t.same(c.ruleset.evaluate(full), [
    { id: 'a', outcome: 'error', error: 'division by zero' },
    { id: 'b', outcome: 'matched' },
    { id: 'c', outcome: 'not_matched' },
  ])
  t.same(c.ruleset.evaluate(bare).map((o) => o.outcome), ['error', 'not_matched', 'not_matched'])
})

t.test('variables the declared types cannot hold are error outcomes, not throws', async (t) => {
  const c = compileRuleset({ rules: [rule('a', 'score > 10'), rule('b', 'order.amount > 10')] })
  if (!c.ok) throw new Error('compile')
  t.same(c.ruleset.evaluate({ ...full, score: 35.5 }), [
    { id: 'a', outcome: 'error', error: 'score is not an integer' },
    { id: 'b', outcome: 'error', error: 'score is not an integer' },
  ])
  const garbled = { ...full, order: { ...full.order, amount: 'lots' } } as unknown as RuleVariables
  t.same(c.ruleset.evaluate(garbled), [
    { id: 'a', outcome: 'matched' },
    { id: 'b', outcome: 'error', error: "Field 'amount' is not of type 'int', got 'string'" },
  ])
  t.same(c.ruleset.evaluate({} as RuleVariables).map((o) => o.error), ['Unknown variable: score', 'Unknown variable: order'])
})

t.test('the ruleset keeps its body for decide()', async (t) => {
  const body: RulesetBody = { rules: [rule('a', 'true')], weights: { EMAIL_FREE_DOMAIN: 0 }, thresholds: { elevated: 20, high: 60 } }
  const c = compileRuleset(body)
  t.ok(c.ok)
  if (c.ok) t.equal(c.ruleset.body, body)
})

t.test('every variable path of RuleVariables is declared, and nothing else', async (t) => {
  const paths = new Set<string>()
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v) && typeof v[0] === 'object') { paths.add(path); walk(v[0], `${path}[]`); return }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (path !== '' && !path.endsWith('[]')) paths.add(path)
      for (const [k, x] of Object.entries(v)) walk(x, path === '' ? k : `${path}.${k}`)
      return
    }
    paths.add(path)
  }
  walk(full, '')
  t.same(VOCABULARY.map((e) => e.name).sort(), [...paths].sort())
  for (const e of VOCABULARY) t.ok(e.description.length > 10, `${e.name} is described`)
  const types = Object.fromEntries(VOCABULARY.map((e) => [e.name, e.type]))
  t.same([types['order.amount'], types['features.amountRatio'], types['order.items'], types['order.items[].unitPrice'], types['lists.blocklist']],
    ['int', 'double', 'list<Item>', 'int', 'list<string>'])
  t.same(VOCABULARY.filter((e) => e.optional && /^order\.\w+$/.test(e.name)).map((e) => e.name),
    ['order.orderedAt', 'order.currency', 'order.card', 'order.shipTo', 'order.items'])
})


t.test('through decide(): ruleVariables() of stored features reach the rules as CEL values', async (t) => {
  const c = compileRuleset({
    rules: [rule('free-mail', README_FREE_MAIL, { add: 30 }), rule('night', 'hour < 5 && features.amountRatio == 0', { set: 'hold' }), rule('broken', 'score / 0 == 1')],
  })
  if (!c.ok) throw new Error(JSON.stringify(c.errors))
  const features: DecisionFeatures = {
    order: full.order,
    orderedAt: '2026-12-07T18:30:00Z', // 03:30 in Tokyo
    identities: full.identities,
    evidence: NO_EVIDENCE,
    signals: [{ code: 'VELOCITY_SHIP_TO', message: { ja: '', en: '' }, fields: ['shipTo.address'] }],
  }
  const d = decide(features, { builtin: CURRENT_BUILTIN, ruleset: { version: 3, compiled: c.ruleset }, thresholds: DEFAULT_THRESHOLDS })
  t.same(d.trace.rules, [
    { id: 'free-mail', outcome: 'matched' },
    { id: 'night', outcome: 'matched' },
    { id: 'broken', outcome: 'error', error: 'division by zero' },
  ])
  const builtin = CURRENT_BUILTIN.weights.VELOCITY_SHIP_TO
  t.same([d.trace.builtinScore, d.score], [builtin, Math.min(100, builtin + 30)])
  // The score alone already holds (≥ 50), so the hold rule decides without overriding anything.
  t.same([d.recommendation, d.trace.decidedBy], ['hold', { by: 'rule', ruleId: 'night', set: 'hold', overrode: null }])
})
