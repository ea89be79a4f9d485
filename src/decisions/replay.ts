// Replaying stored decisions: the stored features under the versions the trace names (the
// built-in table, the merchant version, the thresholds) give the stored answer, always; and
// what-ifs, the same features under another version or an unsaved ruleset.
import { stringify } from 'safe-stable-stringify'
import { decide, type Decision, type DecisionTrace } from '../domain/rules/decide.js'
import type { DecisionFeatures } from '../domain/scoring/features.js'
import { BUILTIN_TABLES } from '../domain/scoring/ruleset.js'
import type { ScoreAnswer } from '../schemas/order.js'
import type { DecisionDeps } from './deps.js'

/** The decision again, under its own versions; null when its built-in table is not in this build. */
export async function replayDecision (deps: DecisionDeps, merchantId: string, features: DecisionFeatures, trace: DecisionTrace): Promise<Decision | null> {
  const builtin = BUILTIN_TABLES[trace.builtin]
  if (builtin === undefined) return null
  const ruleset = trace.ruleset === null ? null : await deps.rules.version(merchantId, trace.ruleset)
  return decide(features, { builtin, ruleset, thresholds: trace.thresholds })
}

/** The parts of an answer a decision determines, compared whatever order JSONB gave the keys. */
export function sameAnswer (decision: Decision, answer: Pick<ScoreAnswer, 'score' | 'level' | 'recommendation' | 'reasons' | 'decidedBy'>): boolean {
  const mine = { score: decision.score, level: decision.level, recommendation: decision.recommendation, reasons: decision.reasons, decidedBy: decision.trace.decidedBy }
  const theirs = { score: answer.score, level: answer.level, recommendation: answer.recommendation, reasons: answer.reasons, decidedBy: answer.decidedBy }
  return stringify(mine) === stringify(theirs)
}

/** Reason keys: the code, and for a merchant rule its id (MERCHANT_RULE:<id>). */
export function reasonKeys (reasons: ReadonlyArray<{ code: string; rule?: { id: string } }>): string[] {
  return reasons.map((r) => (r.rule === undefined ? r.code : `${r.code}:${r.rule.id}`))
}
