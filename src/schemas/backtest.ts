// Backtest shapes: what to evaluate over which period in, status, progress and the report out.
import { Type, type Static } from '@sinclair/typebox'
import { DateTime, StringEnum, Uuid } from './common.js'
import { Recommendation } from './order.js'
import { RulesetBodySchema } from './ruleset.js'

export const MAX_PERIOD_DAYS = 400

const Period = {
  from: DateTime('Start of the period (inclusive), by the orders\' orderedAt'),
  to: DateTime(`End of the period (exclusive); after from, at most ${MAX_PERIOD_DAYS} days later`),
}

export const BacktestRequest = Type.Union([
  Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'One of the merchant\'s ruleset versions, draft or published' }), ...Period }, { additionalProperties: false }),
  Type.Object({ ruleset: Type.Ref(RulesetBodySchema, { description: 'An unsaved ruleset, checked like a draft' }), ...Period }, { additionalProperties: false }),
  Type.Object({ shadow: Type.Literal(true, { description: 'Compare the stored live outcomes with the stored shadow outcomes: nothing is evaluated' }), ...Period }, { additionalProperties: false }),
], {
  examples: [
    { version: 4, from: '2026-04-01T00:00:00+09:00', to: '2026-07-01T00:00:00+09:00' },
    { ruleset: { rules: [{ id: 'high-value-hold', name: '高額注文は保留（5万円以上）', when: 'order.amount >= 50000', action: { set: 'hold' } }] }, from: '2026-06-01T00:00:00+09:00', to: '2026-07-01T00:00:00+09:00' },
    { shadow: true, from: '2026-06-15T00:00:00+09:00', to: '2026-07-01T00:00:00+09:00' },
  ],
})

const Tally = Type.Object({
  orders: Type.Integer({ minimum: 0 }),
  amount: Type.Integer({ minimum: 0, description: 'Sum of the orders\' amounts (円)' }),
}, { $id: 'BacktestTally', additionalProperties: false, description: 'Orders and their 円' })

const Ratio = (description: string) => Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: `${description}; null when the denominator is 0` })

const Cut = (flagged: string) => Type.Object({
  fraudCaught: Type.Ref(Tally, { description: `Fraud-labeled orders (chargeback, fraud_confirmed) at ${flagged}` }),
  goodFlagged: Type.Ref(Tally, { description: `Orders labeled legitimate at ${flagged}: the cost of false positives (good orders and 円 stopped)` }),
  recall: Ratio(`Fraud caught: fraudCaught.orders / fraud-labeled orders (labels.fraud.orders)`),
  precision: Ratio(`Over labeled orders only: fraudCaught.orders / (fraudCaught.orders + goodFlagged.orders)`),
}, { additionalProperties: false })

const ByRecommendation = Type.Object({ proceed: Type.Ref(Tally), review: Type.Ref(Tally), hold: Type.Ref(Tally) }, { additionalProperties: false, description: 'Every evaluated order by recommendation' })

const Side = (description: string) => Type.Object({
  byRecommendation: ByRecommendation,
  atHold: Cut('hold'),
  atReviewOrHold: Cut('review or hold'),
}, { additionalProperties: false, description })

const Row = Type.Object({ proceed: Type.Integer(), review: Type.Integer(), hold: Type.Integer() }, { additionalProperties: false })

export const BacktestResultSchema = Type.Object({
  evaluated: Type.Integer({ description: 'Orders compared' }),
  skipped: Type.Integer({ description: 'Orders of the period with nothing to compare: scored before decisions were recorded (no features), or, for a shadow comparison, scored with no shadow version set' }),
  labels: Type.Object({
    fraud: Type.Ref(Tally, { description: 'Evaluated orders whose latest feedback is chargeback or fraud_confirmed' }),
    legitimate: Type.Ref(Tally, { description: '… legitimate (good orders)' }),
    unlabeled: Type.Ref(Tally, { description: '… with no feedback: they count in byRecommendation, never in recall or precision' }),
  }, { additionalProperties: false }),
  decided: Side('What was decided and stored when each order was scored (the live outcome)'),
  candidate: Side('What the version or ruleset recommends from the same stored features (for a shadow comparison: the stored shadow outcome)'),
  changes: Type.Object({
    count: Type.Integer({ description: 'Orders whose recommendation differs' }),
    matrix: Type.Object({ proceed: Row, review: Row, hold: Row }, { additionalProperties: false, description: 'matrix[decided][candidate]: orders that went from one recommendation to the other (the diagonal is 0)' }),
    orders: Type.Array(Type.Object({
      orderId: Type.String(),
      orderedAt: DateTime('When the order was placed'),
      amount: Type.Integer({ description: '円' }),
      from: Recommendation,
      to: Recommendation,
      label: Type.Union([StringEnum(['chargeback', 'fraud_confirmed', 'legitimate']), Type.Null()], { description: 'The latest feedback' }),
    }, { additionalProperties: false }), { maxItems: 100, description: 'The first 100 changed orders by orderedAt' }),
  }, { additionalProperties: false }),
}, { $id: 'BacktestResult', additionalProperties: false })

export const BacktestSchema = Type.Object({
  id: Uuid('Backtest id'),
  version: Type.Union([Type.Integer(), Type.Null()], { description: 'The version evaluated; null for an unsaved ruleset or a shadow comparison' }),
  shadow: Type.Boolean({ description: 'A comparison of stored live and shadow outcomes (no evaluation)' }),
  from: DateTime('Start of the period (inclusive)'),
  to: DateTime('End of the period (exclusive)'),
  status: StringEnum(['queued', 'running', 'done', 'failed']),
  progress: Type.Object({
    done: Type.Integer({ description: 'Orders of the period walked so far (compared or skipped)' }),
    total: Type.Union([Type.Integer(), Type.Null()], { description: 'Orders of the period, counted when the walk starts; null while queued' }),
  }, { additionalProperties: false }),
  createdAt: DateTime('When it was accepted'),
  startedAt: Type.Union([DateTime('When a worker started it'), Type.Null()]),
  finishedAt: Type.Union([DateTime('When it finished'), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why it failed' }),
  result: Type.Union([Type.Ref(BacktestResultSchema), Type.Null()], { description: 'The report, once done' }),
}, { $id: 'Backtest', additionalProperties: false })

export const BacktestTallySchema = Tally
export type Backtest = Static<typeof BacktestSchema>
