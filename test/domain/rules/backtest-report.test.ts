// The backtest report on small hand-computed sets: tallies per recommendation, recall and
// precision at hold and at review-or-hold, good orders stopped, changes; nulls, never NaN, when
// nothing is labeled; the page of changes capped; sums that survive a JSON round trip mid-way.
import t from 'tap'
import { addOrder, emptySums, finishReport, skipOrder, type BacktestOrder } from '../../../src/domain/rules/backtest-report.js'

type R = BacktestOrder['decided']
const o = (orderId: string, amount: number, decided: R, candidate: R, label: BacktestOrder['label']): BacktestOrder =>
  ({ orderId, orderedAt: `2026-06-01T00:00:0${orderId.length % 10}.000Z`, amount, decided, candidate, label })

const MIXED = [
  o('a', 1000, 'proceed', 'hold', 'chargeback'),
  o('b', 2000, 'proceed', 'proceed', 'legitimate'),
  o('c', 3000, 'review', 'hold', 'fraud_confirmed'),
  o('d', 4000, 'hold', 'review', 'legitimate'),
  o('e', 5000, 'proceed', 'review', null),
  o('f', 6000, 'hold', 'hold', null),
]

const run = (orders: BacktestOrder[], skipped = 0) => {
  const sums = emptySums()
  for (const x of orders) addOrder(sums, x)
  for (let i = 0; i < skipped; i++) skipOrder(sums)
  return finishReport(sums)
}
const T = (orders: number, amount: number) => ({ orders, amount })
const zero = T(0, 0)

t.test('a mixed set, computed by hand', async (t) => {
  const r = run(MIXED, 2)
  t.equal(r.evaluated, 6)
  t.equal(r.skipped, 2)
  t.same(r.labels, { fraud: T(2, 4000), legitimate: T(2, 6000), unlabeled: T(2, 11000) })
  t.same(r.decided, {
    byRecommendation: { proceed: T(3, 8000), review: T(1, 3000), hold: T(2, 10000) },
    atHold: { fraudCaught: zero, goodFlagged: T(1, 4000), recall: 0, precision: 0 },
    atReviewOrHold: { fraudCaught: T(1, 3000), goodFlagged: T(1, 4000), recall: 0.5, precision: 0.5 },
  })
  t.same(r.candidate, {
    byRecommendation: { proceed: T(1, 2000), review: T(2, 9000), hold: T(3, 10000) },
    atHold: { fraudCaught: T(2, 4000), goodFlagged: zero, recall: 1, precision: 1 },
    atReviewOrHold: { fraudCaught: T(2, 4000), goodFlagged: T(1, 4000), recall: 1, precision: 2 / 3 },
  })
  t.equal(r.changes.count, 4)
  t.same(r.changes.matrix, {
    proceed: { proceed: 0, review: 1, hold: 1 },
    review: { proceed: 0, review: 0, hold: 1 },
    hold: { proceed: 0, review: 1, hold: 0 },
  })
  t.same(r.changes.orders.map((c) => [c.orderId, c.from, c.to, c.label, c.amount]),
    [['a', 'proceed', 'hold', 'chargeback', 1000], ['c', 'review', 'hold', 'fraud_confirmed', 3000], ['d', 'hold', 'review', 'legitimate', 4000], ['e', 'proceed', 'review', null, 5000]])
})

const ratios = (r: ReturnType<typeof run>) =>
  [r.decided.atHold, r.decided.atReviewOrHold, r.candidate.atHold, r.candidate.atReviewOrHold].flatMap((c) => [c.recall, c.precision])

t.test('undefined ratios are null, never NaN', async (t) => {
  const cases: Array<[string, BacktestOrder[], Array<number | null>]> = [
    ['nothing at all', [], [null, null, null, null, null, null, null, null]],
    ['nothing labeled', [o('x', 100, 'hold', 'proceed', null), o('y', 200, 'review', 'hold', null)], [null, null, null, null, null, null, null, null]],
    // Only good orders: recall has no fraud to catch; precision is 0 where a good order is stopped.
    ['only legitimate', [o('x', 100, 'hold', 'proceed', 'legitimate')], [null, 0, null, 0, null, null, null, null]],
    // Fraud nobody flags: recall 0; precision has no flagged labeled order.
    ['fraud missed by both', [o('x', 100, 'proceed', 'proceed', 'chargeback')], [0, null, 0, null, 0, null, 0, null]],
  ]
  for (const [name, orders, want] of cases) {
    const r = run(orders)
    t.same(ratios(r), want, name)
    t.notOk(JSON.stringify(r).includes('NaN'), `${name}: JSON has no NaN`)
  }
  t.same(run([]).changes, { count: 0, matrix: { proceed: { proceed: 0, review: 0, hold: 0 }, review: { proceed: 0, review: 0, hold: 0 }, hold: { proceed: 0, review: 0, hold: 0 } }, orders: [] })
})

t.test('the page of changed orders holds the first 100; count and matrix cover all', async (t) => {
  const many = Array.from({ length: 150 }, (_, i) => o(`o${String(i).padStart(3, '0')}`, 10, 'proceed', 'hold', null))
  const r = run(many)
  t.equal(r.changes.count, 150)
  t.equal(r.changes.matrix.proceed.hold, 150)
  t.equal(r.changes.orders.length, 100)
  t.equal(r.changes.orders[0]?.orderId, 'o000')
  t.equal(r.changes.orders[99]?.orderId, 'o099')
})

t.test('sums saved as JSON mid-way and resumed give the same report', async (t) => {
  const sums = emptySums()
  for (const x of MIXED.slice(0, 3)) addOrder(sums, x)
  const resumed = JSON.parse(JSON.stringify(sums)) as typeof sums
  for (const x of MIXED.slice(3)) addOrder(resumed, x)
  t.same(finishReport(resumed), run(MIXED))
})
