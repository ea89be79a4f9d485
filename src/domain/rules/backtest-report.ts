// The backtest report: what one ruleset would have recommended beside what was decided, measured
// against the merchant's labels (feedback). Pure and resumable: the sums are plain JSON, kept
// after each page so a job cut short resumes from them without counting an order twice.
import { FRAUD_LABELS, type FeedbackType } from '../scoring/labels.js'
import type { Recommendation } from '../scoring/score.js'

export const RECOMMENDATIONS: readonly Recommendation[] = ['proceed', 'review', 'hold']
/** The changed orders a report lists (the first by ordered_at); the count and matrix cover all. */
export const CHANGED_PAGE = 100

export type Tally = { orders: number; amount: number }
export type BacktestOrder = {
  orderId: string
  orderedAt: string
  /** Yen. */
  amount: number
  decided: Recommendation
  candidate: Recommendation
  label: FeedbackType | null
}
export type ChangedOrder = { orderId: string; orderedAt: string; amount: number; from: Recommendation; to: Recommendation; label: FeedbackType | null }

type Side = {
  by: Record<Recommendation, Tally>
  /** fraud / good (legitimate) orders by the recommendation they got. */
  fraud: Record<Recommendation, Tally>
  good: Record<Recommendation, Tally>
}
export type BacktestSums = {
  evaluated: number
  skipped: number
  labels: { fraud: Tally; legitimate: Tally; unlabeled: Tally }
  decided: Side
  candidate: Side
  changes: { count: number; matrix: Record<Recommendation, Record<Recommendation, number>>; orders: ChangedOrder[] }
}

const tally = (): Tally => ({ orders: 0, amount: 0 })
const perRecommendation = <T>(f: () => T): Record<Recommendation, T> => ({ proceed: f(), review: f(), hold: f() })
const side = (): Side => ({ by: perRecommendation(tally), fraud: perRecommendation(tally), good: perRecommendation(tally) })
const put = (t: Tally, amount: number) => { t.orders++; t.amount += amount }

export function emptySums (): BacktestSums {
  return {
    evaluated: 0,
    skipped: 0,
    labels: { fraud: tally(), legitimate: tally(), unlabeled: tally() },
    decided: side(),
    candidate: side(),
    changes: { count: 0, matrix: perRecommendation(() => perRecommendation(() => 0)), orders: [] },
  }
}

function addSide (s: Side, rec: Recommendation, o: BacktestOrder, fraud: boolean): void {
  put(s.by[rec], o.amount)
  if (fraud) put(s.fraud[rec], o.amount)
  else if (o.label === 'legitimate') put(s.good[rec], o.amount)
}

/** Adds one order (orders must come in ordered_at order for the page of changes to be the first). */
export function addOrder (sums: BacktestSums, o: BacktestOrder): void {
  sums.evaluated++
  const fraud = o.label !== null && FRAUD_LABELS.has(o.label)
  put(fraud ? sums.labels.fraud : o.label === 'legitimate' ? sums.labels.legitimate : sums.labels.unlabeled, o.amount)
  addSide(sums.decided, o.decided, o, fraud)
  addSide(sums.candidate, o.candidate, o, fraud)
  if (o.decided === o.candidate) return
  sums.changes.count++
  sums.changes.matrix[o.decided][o.candidate]++
  if (sums.changes.orders.length < CHANGED_PAGE) {
    sums.changes.orders.push({ orderId: o.orderId, orderedAt: o.orderedAt, amount: o.amount, from: o.decided, to: o.candidate, label: o.label })
  }
}

/** An order with nothing to decide from (scored before decisions were recorded, or no shadow). */
export function skipOrder (sums: BacktestSums): void {
  sums.skipped++
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d)
const sum = (a: Tally, b: Tally): Tally => ({ orders: a.orders + b.orders, amount: a.amount + b.amount })

function cut (s: Side, flagged: readonly Recommendation[], fraudTotal: number) {
  const caught = flagged.map((r) => s.fraud[r]).reduce(sum, tally())
  const goodFlagged = flagged.map((r) => s.good[r]).reduce(sum, tally())
  return {
    fraudCaught: caught,
    goodFlagged,
    recall: ratio(caught.orders, fraudTotal),
    precision: ratio(caught.orders, caught.orders + goodFlagged.orders),
  }
}

function sideReport (s: Side, fraudTotal: number) {
  return {
    byRecommendation: s.by,
    atHold: cut(s, ['hold'], fraudTotal),
    atReviewOrHold: cut(s, ['review', 'hold'], fraudTotal),
  }
}

export type BacktestResult = ReturnType<typeof finishReport>

export function finishReport (sums: BacktestSums) {
  const fraudTotal = sums.labels.fraud.orders
  return {
    evaluated: sums.evaluated,
    skipped: sums.skipped,
    labels: sums.labels,
    decided: sideReport(sums.decided, fraudTotal),
    candidate: sideReport(sums.candidate, fraudTotal),
    changes: sums.changes,
  }
}
