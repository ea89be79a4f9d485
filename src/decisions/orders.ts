// Stored decisions: one order's decision with what it was computed from, whether it replays,
// its labels; and the what-if of that order under another version or an unsaved ruleset.
import { listOrderFeedback } from '../db/feedback.js'
import { findDecision } from '../db/orders.js'
import { decide } from '../domain/rules/decide.js'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import { CURRENT_BUILTIN } from '../domain/scoring/ruleset.js'
import { AppError } from '../errors.js'
import type { StoredDecision } from '../schemas/decision.js'
import type { ScoreAnswer } from '../schemas/order.js'
import type { DecisionDeps } from './deps.js'
import { reasonKeys, replayDecision, sameAnswer } from './replay.js'
import { compileOrRefuse } from './ruleset-problem.js'

async function found (deps: DecisionDeps, merchantId: string, orderId: string) {
  const row = await findDecision(deps.db, merchantId, orderId)
  if (row === undefined) throw new AppError('NOT_FOUND', `No scored order ${orderId}`)
  return row
}

export async function getDecision (deps: DecisionDeps, merchantId: string, orderId: string): Promise<StoredDecision> {
  const [row, labels] = await Promise.all([found(deps, merchantId, orderId), listOrderFeedback(deps.db, merchantId, orderId)])
  const answer = row.response as ScoreAnswer
  const again = row.features === null || row.trace === null ? null : await replayDecision(deps, merchantId, row.features, row.trace)
  return {
    orderId: row.order_id,
    answer: { ...answer, versions: { ruleset: answer.rulesetVersion, dictionaries: null, merchantRuleset: null, ...(answer.versions as Partial<ScoreAnswer['versions']> | undefined) } },
    features: row.features,
    trace: row.trace,
    shadow: row.shadow,
    replay: again === null ? null : { identical: sameAnswer(again, answer) },
    outcome: row.outcome,
    labels: labels.map((f) => ({ id: f.id, orderId: f.order_id, type: f.type, note: f.note, createdAt: f.created_at.toISOString() })),
  }
}

export type WhatIfInput = { version: number } | { ruleset: RulesetBody }

/**
 * The order decided again from its stored features under `input` (with today's built-in table
 * and the thresholds it was decided with, unless the ruleset sets its own), beside the stored one.
 */
export async function whatIf (deps: DecisionDeps, merchantId: string, orderId: string, input: WhatIfInput) {
  const row = await found(deps, merchantId, orderId)
  if (row.features === null || row.trace === null) {
    throw new AppError('CONFLICT', `Order ${orderId} was scored before decisions were recorded: there are no features to decide it again from`)
  }
  const ruleset = 'version' in input
    ? await versionOrNotFound(deps, merchantId, input.version)
    : { version: null, compiled: compileOrRefuse(input.ruleset, 'body.ruleset') }
  const d = decide(row.features, { builtin: CURRENT_BUILTIN, ruleset: { version: ruleset.version ?? 0, compiled: ruleset.compiled }, thresholds: row.trace.thresholds })
  const trace = { ...d.trace, ruleset: ruleset.version }
  const before = reasonKeys((row.response as ScoreAnswer).reasons)
  const after = reasonKeys(d.reasons)
  return {
    orderId: row.order_id,
    version: ruleset.version,
    decision: { score: d.score, level: d.level, recommendation: d.recommendation, reasons: d.reasons, trace },
    stored: { score: row.score, level: row.level, recommendation: row.recommendation, merchantRuleset: row.merchant_ruleset_version },
    difference: {
      score: d.score - row.score,
      levelChanged: d.level !== row.level,
      recommendationChanged: d.recommendation !== row.recommendation,
      reasonsAdded: after.filter((k) => !before.includes(k)),
      reasonsRemoved: before.filter((k) => !after.includes(k)),
    },
  }
}

async function versionOrNotFound (deps: DecisionDeps, merchantId: string, version: number) {
  const found = await deps.rules.find(merchantId, version)
  if (found === null) throw new AppError('NOT_FOUND', `No ruleset version ${version}`)
  return found
}
