// `npx tsx bench/cel-rules.ts`: what merchant rules cost per order. Compiles a 50-rule ruleset
// of the kinds merchants write (comparisons, string tests, membership, has(), a macro over
// the items) and prints µs per 50-rule evaluation and per rule, the share spent converting
// the order's variables, and the compile time.
import { compileRuleset } from '../src/domain/rules/cel.js'
import type { Rule } from '../src/domain/rules/ruleset.js'
import type { RuleVariables } from '../src/domain/rules/vocabulary.js'
import { KINDS } from './lib/rule-kinds.js'


const rules: Rule[] = Array.from({ length: 50 }, (_, i) => ({ id: `r${i}`, name: `rule ${i}`, when: KINDS[i % KINDS.length]!, action: { add: 5 } }))

const vars: RuleVariables = {
  order: {
    orderId: 'o-1', amount: 64000, paymentMethod: 'card',
    card: { bin: '411111', last4: '1111', issuerCountry: 'US' },
    buyer: { name: 'Taro Yamada', email: 'taro@example-free.jp', phone: '09012345678', address: { postalCode: '1500043', prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3' } },
    shipTo: { name: '山田 花子', address: { postalCode: '9000001', prefecture: '沖縄県', city: '那覇市', block: '1-1' } },
    items: [{ sku: 'A1', name: 'Gift card', category: 'gift_card', unitPrice: 10000, quantity: 3 }, { sku: 'B2', name: 'Pen', unitPrice: 300, quantity: 2 }],
  },
  identities: { email: 'taro@example-free.jp', emailDomain: 'example-free.jp', buyerPrefecture: '東京都', shipToPrefecture: '沖縄県' },
  features: { addressMatch: 'none', addressMatchCount: 0, blocklistFields: [], historyMatchFields: [], historySimilarFields: [], shipToBuyers: 2, buyerHighValueOrders: 1, merchantOrders: 120, typicalAmount: 8000, amountRatio: 8 },
  reasons: ['VELOCITY_SHIP_TO', 'SHIP_TO_DIFFERS'],
  score: 35,
  hour: 3,
  lists: { blocklist: [] },
}

let t0 = process.hrtime.bigint()
const compiled = compileRuleset({ rules })
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6
if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors))
const { evaluate } = compiled.ruleset
const errors = evaluate(vars).filter((o) => o.outcome === 'error')
if (errors.length > 0) throw new Error(`rules failed: ${JSON.stringify(errors)}`)

for (let i = 0; i < 5000; i++) evaluate(vars)
const rounds = 20_000
const runs: number[] = []
for (let r = 0; r < 5; r++) {
  t0 = process.hrtime.bigint()
  for (let i = 0; i < rounds; i++) evaluate(vars)
  runs.push(Number(process.hrtime.bigint() - t0) / 1e3 / rounds)
}
runs.sort((a, b) => a - b)
// A ruleset without rules still converts the order's variables: that share of the cost.
const empty = compileRuleset({ rules: [] })
if (!empty.ok) throw new Error('empty ruleset refused')
for (let i = 0; i < 5000; i++) empty.ruleset.evaluate(vars)
t0 = process.hrtime.bigint()
for (let i = 0; i < rounds; i++) empty.ruleset.evaluate(vars)
const convertUs = Number(process.hrtime.bigint() - t0) / 1e3 / rounds
const median = runs[2]!
console.log(`compile 50 rules: ${compileMs.toFixed(1)} ms (first compile, includes warm-up)`)
console.log(`evaluate 50 rules: ${median.toFixed(1)} µs per order (median of 5 × ${rounds}; min ${runs[0]!.toFixed(1)}, max ${runs[4]!.toFixed(1)})`)
console.log(`per rule: ${(median / 50).toFixed(2)} µs (of which converting the variables, once per order: ${convertUs.toFixed(1)} µs)`)
