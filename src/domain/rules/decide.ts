// The verdict of one order from its stored features: the built-in table weighs the signals that
// fired, the merchant's rules see the result, and the precedence below decides. Pure: the live
// score, a replay, a what-if and a backtest all come here with the same features.
//
// Precedence (Radar's anchor): a rule that sets hold beats one that sets proceed, which beats one
// that sets review; `add` rules move the score. The floors (a blocklist hit or a full
// fraud-address match is high alone) hold against any score; only a rule that explicitly sets
// proceed or review overrides what they say, and the trace names it. A rule that sets review never
// lowers a hold.
import type { DecisionFeatures } from '../scoring/features.js'
import type { Reason, ReasonCode } from '../scoring/reason.js'
import { verdict, type Floor, type Level, type Recommendation, type Thresholds } from '../scoring/score.js'
import type { BuiltinTable } from '../scoring/ruleset.js'
import type { CompiledRuleset, RuleAction, RuleOutcome } from './ruleset.js'
import { ruleVariables } from './vocabulary.js'

export type MerchantVersion = { version: number; compiled: CompiledRuleset }

export type DecisionSetup = {
  builtin: BuiltinTable
  ruleset: MerchantVersion | null
  /** The merchant's thresholds; a version's own replace them. */
  thresholds: Thresholds
}

/** A built-in reason, or a merchant rule that matched (code MERCHANT_RULE, naming the rule). */
export type DecisionReason = Omit<Reason, 'code'> & {
  code: ReasonCode | 'MERCHANT_RULE'
  rule?: { id: string; name: string; action: RuleAction }
}

export type DecidedBy =
  | { by: 'score' }
  | { by: 'floor'; code: ReasonCode }
  /** `overrode`: what the score and floors said, when the rule changed it. */
  | { by: 'rule'; ruleId: string; set: Recommendation; overrode: Recommendation | null }

export type DecisionTrace = {
  builtin: string
  ruleset: number | null
  thresholds: Thresholds
  /** The built-in score the rules saw (weights of this version, after the floors). */
  builtinScore: number
  /** Each built-in reason's contribution, then each matched add rule's. */
  contributions: Array<{ code: DecisionReason['code']; weight: number; ruleId?: string }>
  rules: RuleOutcome[]
  floor: Floor | null
  decidedBy: DecidedBy
}

export type Decision = {
  score: number
  level: Level
  recommendation: Recommendation
  reasons: DecisionReason[]
  trace: DecisionTrace
}

/** The shadow version's outcome, stored beside the live one. */
export type ShadowOutcome = { version: number; score: number; level: Level; recommendation: Recommendation; trace: DecisionTrace }

const heaviest = (a: DecisionReason, b: DecisionReason) =>
  b.weight - a.weight || a.code.localeCompare(b.code) || (a.rule?.id ?? '').localeCompare(b.rule?.id ?? '')

function ruleReason (rule: { id: string; name: string; action: RuleAction }): DecisionReason {
  return {
    code: 'MERCHANT_RULE',
    weight: 'add' in rule.action ? rule.action.add : 0,
    message: { ja: `加盟店ルール「${rule.name}」`, en: `Merchant rule "${rule.name}"` },
    fields: [],
    rule: { id: rule.id, name: rule.name, action: rule.action },
  }
}

/** The first matched rule setting each recommendation, in rule order. */
function firstSet (reasons: readonly DecisionReason[], set: Recommendation): DecisionReason | undefined {
  return reasons.find((r) => r.rule !== undefined && 'set' in r.rule.action && r.rule.action.set === set)
}

export function decide (features: DecisionFeatures, setup: DecisionSetup): Decision {
  const body = setup.ruleset?.compiled.body
  const weights: Partial<Record<ReasonCode, number>> = { ...setup.builtin.weights, ...body?.weights }
  const thresholds = body?.thresholds ?? setup.thresholds
  const floors = setup.builtin.floors
  const builtinReasons: DecisionReason[] = features.signals
    .map((s) => ({ code: s.code, weight: weights[s.code] ?? 0, message: s.message, fields: s.fields }))
    .sort(heaviest)
  const builtin = verdict(builtinReasons, thresholds, floors)
  const outcomes = setup.ruleset === null
    ? []
    : setup.ruleset.compiled.evaluate(ruleVariables(features, { reasons: builtinReasons.map((r) => r.code), score: builtin.score }))
  const rules = body?.rules ?? []
  const matched = outcomes.flatMap((o, i) => (o.outcome === 'matched' && rules[i] !== undefined ? [ruleReason(rules[i])] : []))
  const reasons = [...builtinReasons, ...matched].sort(heaviest)
  const scored = verdict(reasons, thresholds, floors)
  const said = scored.recommendation
  const hold = firstSet(matched, 'hold')
  const proceed = firstSet(matched, 'proceed')
  const review = firstSet(matched, 'review')
  let recommendation = said
  let decidedBy: DecidedBy = scored.floor !== null ? { by: 'floor', code: scored.floor.code as ReasonCode } : { by: 'score' }
  const byRule = (r: DecisionReason, set: Recommendation): DecidedBy =>
    ({ by: 'rule', ruleId: r.rule?.id ?? '', set, overrode: set === said ? null : said })
  if (hold !== undefined) {
    recommendation = 'hold'; decidedBy = byRule(hold, 'hold')
  } else if (proceed !== undefined) {
    recommendation = 'proceed'; decidedBy = byRule(proceed, 'proceed')
  } else if (review !== undefined && said !== 'hold') {
    recommendation = 'review'; decidedBy = byRule(review, 'review')
  }
  return {
    score: scored.score,
    level: scored.level,
    recommendation,
    reasons,
    trace: {
      builtin: setup.builtin.version,
      ruleset: setup.ruleset?.version ?? null,
      thresholds,
      builtinScore: builtin.score,
      contributions: reasons.filter((r) => r.weight !== 0 || r.rule === undefined)
        .map((r) => (r.rule === undefined ? { code: r.code, weight: r.weight } : { code: r.code, weight: r.weight, ruleId: r.rule.id })),
      rules: outcomes,
      floor: scored.floor === null ? null : { code: scored.floor.code as ReasonCode, level: scored.floor.level },
      decidedBy,
    },
  }
}
