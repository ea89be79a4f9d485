// Signals → score, level and recommendation (seed 000: 10+ is worth a look, 50+ is probably
// fraud; seed 002: hold = do not ship, call the buyer). Cash on delivery gets no fraud-order
// signals — the shop is paid at the door — but the blocklist still applies (seed 002).
import type { ScoringContext } from './evidence.js'
import type { Reason, ReasonCode } from './reason.js'
import { RULESET } from './ruleset.js'
import { fire, type Signal as Declared } from './signal.js'
import { SIGNALS } from './signals/index.js'

export type Level = 'low' | 'elevated' | 'high'
export type Recommendation = 'proceed' | 'review' | 'hold'
export type Thresholds = { elevated: number; high: number }
export const DEFAULT_THRESHOLDS: Thresholds = { elevated: 10, high: 50 }

export type Signal = Declared<ReasonCode, ScoringContext>

/** Every signal of an order paid by card, bank transfer, convenience store, carrier or deferred. */
export const ORDER_SIGNALS: readonly Signal[] = SIGNALS

/** 代金引換: only the merchant's own blocklist (seed 002). */
export const CASH_ON_DELIVERY_SIGNALS: readonly Signal[] = SIGNALS.filter((s) => s.cod === true)

/** The reason whose floor lifted the level (null: the weights alone decided it). */
export type Floor = { code: ReasonCode; level: Exclude<Level, 'low'> }
export type Verdict<R extends Weighed = Reason> = { score: number; level: Level; recommendation: Recommendation; reasons: R[]; floor: Floor | null }
/** What verdict() reads of a reason: built-in or a merchant rule's. */
export type Weighed = { code: string; weight: number }
type Floors = Readonly<Partial<Record<ReasonCode, Floor['level']>>>

/** Runs the signals; the reasons come heaviest first. */
export function runSignals(ctx: ScoringContext, signals: readonly Signal[]): Reason[] {
  const reasons: Reason[] = []
  for (const signal of signals) {
    const r = fire(signal, ctx)
    if (r !== null) reasons.push(r)
  }
  return reasons.sort((a, b) => b.weight - a.weight || a.code.localeCompare(b.code))
}

export function signalsFor(paymentMethod: string): readonly Signal[] {
  return paymentMethod === 'cod' ? CASH_ON_DELIVERY_SIGNALS : ORDER_SIGNALS
}

const RANK: Record<Level, number> = { low: 0, elevated: 1, high: 2 }

/**
 * The highest floor among the reasons that fired, first code by name on a tie. The one place
 * floors are decided: merchant rules that may override a floor hook in here.
 */
export function floorOf(reasons: readonly Weighed[], floors: Floors = RULESET.floors): Floor | null {
  let best: Floor | null = null
  for (const r of [...reasons].sort((a, b) => a.code.localeCompare(b.code))) {
    const level = floors[r.code as ReasonCode]
    if (level !== undefined && (best === null || RANK[level] > RANK[best.level])) best = { code: r.code as ReasonCode, level }
  }
  return best
}

function levelOf(score: number, thresholds: Thresholds): Level {
  return score >= thresholds.high ? 'high' : score >= thresholds.elevated ? 'elevated' : 'low'
}

/**
 * The sum of the weights clamped to 0–100 and its level under the merchant's thresholds, then
 * lifted to the highest floor of the reasons that fired: the score rises to that level's
 * threshold so score and level never disagree. `floor` names the reason only when it lifted.
 */
export function verdict<R extends Weighed = Reason>(reasons: readonly R[], thresholds: Thresholds, floors: Floors = RULESET.floors): Verdict<R> {
  const sum = reasons.reduce((s, r) => s + r.weight, 0)
  let score = Math.min(100, Math.max(0, sum))
  let level = levelOf(score, thresholds)
  const candidate = floorOf(reasons, floors)
  const lifted = candidate !== null && RANK[candidate.level] > RANK[level] ? candidate : null
  if (lifted !== null) {
    score = Math.min(100, Math.max(score, thresholds[lifted.level]))
    level = lifted.level
  }
  const recommendation: Recommendation = level === 'high' ? 'hold' : level === 'elevated' ? 'review' : 'proceed'
  return { score, level, recommendation, reasons: [...reasons], floor: lifted }
}

export function scoreOrder(ctx: ScoringContext, thresholds: Thresholds): Verdict {
  return verdict(runSignals(ctx, signalsFor(ctx.order.paymentMethod)), thresholds)
}

export const RULESET_VERSION = RULESET.version
