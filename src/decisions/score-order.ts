// Scoring an order at authorization time (与信審査), the pipeline end to end: gather the evidence
// (one statement), judge it (pure), run the built-in signals, the merchant's live rules and the
// shadow version, store the decision with what it was computed from, answer. Idempotent on
// (merchant, orderId): the stored answer for the same body, a 409 for another.
import { findScoringRows } from '../db/evidence.js'
import { findOrder, insertScoredOrder } from '../db/orders.js'
import { canonicalEmail } from '../domain/identity/email.js'
import { nameKey } from '../domain/identity/name.js'
import { dictionaryVersions } from '../domain/scoring/dictionaries.js'
import { featuresOf } from '../domain/scoring/features.js'
import { judgeEvidence, lookupsOf } from '../domain/scoring/gather.js'
import { buyerKey, identifiers, shipToKey } from '../domain/scoring/identities.js'
import type { SignalContext } from '../domain/scoring/order.js'
import { CURRENT_BUILTIN, RULESET } from '../domain/scoring/ruleset.js'
import { runSignals, signalsFor } from '../domain/scoring/score.js'
import { fanout } from '../domain/webhooks/fanout.js'
import { AppError } from '../errors.js'
import type { ScoreAnswer } from '../schemas/order.js'
import type { DecisionDeps } from './deps.js'
import { decideLive } from './evaluate.js'

export type Scored = { answer: ScoreAnswer; replayed: boolean }

/** The stored answer for this body, or a 409 when the orderId was scored with another body. */
function replay (orderId: string, stored: { requestHash: string; response: unknown }, hash: Buffer): Scored {
  if (stored.requestHash !== hash.toString('hex')) {
    throw new AppError('CONFLICT', `Order ${orderId} was already scored with a different body; score a changed order under a new orderId`)
  }
  const answer = stored.response as ScoreAnswer
  // Answers stored before they named every version: what was not recorded is null.
  const recorded = answer.versions as Partial<ScoreAnswer['versions']> | undefined
  const versions = { ruleset: answer.rulesetVersion, dictionaries: null, merchantRuleset: null, ...recorded }
  return { answer: { ...answer, versions }, replayed: true }
}

export async function scoreOrder (deps: DecisionDeps, merchantId: string, ctx: SignalContext, hash: Buffer): Promise<Scored> {
  const body = ctx.order
  const ids = identifiers(ctx)
  const orderedAt = body.orderedAt !== undefined ? new Date(body.orderedAt) : new Date()
  const keys = { orderId: body.orderId, orderedAt, buyerKey: buyerKey(ctx), shipToKey: shipToKey(ctx), windows: RULESET.windows }
  const self = { buyer_email: canonicalEmail(body.buyer.email), buyer_name: nameKey(body.buyer.name) }
  const lookups = lookupsOf(ctx, ids)
  const found = await findScoringRows(deps.db, merchantId, lookups, keys, { trigramIndex: deps.trigramIndex })
  if (found.stored !== null) return replay(body.orderId, found.stored, hash)
  if (found.merchant === null) throw new AppError('NOT_FOUND', `No merchant ${merchantId}`)
  const evidence = judgeEvidence(ctx, lookups, found.evidence, self)
  const fired = runSignals({ ...ctx, evidence }, signalsFor(body.paymentMethod))
  const features = featuresOf(ctx, orderedAt, evidence, fired)
  const { decision, shadow } = await decideLive(deps, merchantId, found.merchant, features)
  const answer: ScoreAnswer = {
    orderId: body.orderId,
    score: decision.score,
    level: decision.level,
    recommendation: decision.recommendation,
    reasons: decision.reasons,
    history: fired.some((r) => r.code === 'FRAUD_HISTORY_MATCH') ? 'match' : fired.some((r) => r.code === 'FRAUD_HISTORY_SIMILAR') ? 'similar' : 'none',
    addressMatch: evidence.fraudAddress,
    rulesetVersion: CURRENT_BUILTIN.version,
    versions: { ruleset: CURRENT_BUILTIN.version, dictionaries: dictionaryVersions(), merchantRuleset: decision.trace.ruleset },
    decidedBy: decision.trace.decidedBy,
    evaluatedAt: new Date().toISOString(),
  }
  const inserted = await insertScoredOrder(deps.db, {
    merchant_id: merchantId,
    order_id: body.orderId,
    request_hash: hash,
    ordered_at: orderedAt,
    amount: body.amount,
    payment_method: body.paymentMethod,
    buyer_key: keys.buyerKey,
    buyer_email: self.buyer_email,
    buyer_name: self.buyer_name,
    ship_to_key: keys.shipToKey,
    ship_to_match_key: ctx.shipToAddress?.matchKey ?? null,
    identities: ids,
    score: decision.score,
    level: decision.level,
    recommendation: decision.recommendation,
    ruleset_version: CURRENT_BUILTIN.version,
    merchant_ruleset_version: decision.trace.ruleset,
    response: answer,
    features,
    trace: decision.trace,
    shadow,
  }, fanout(found.endpoints, { type: 'order.scored', data: answer }))
  if (inserted) return { answer, replayed: false }
  // A concurrent call with this orderId won the insert: answer what it stored, or 409.
  const winner = await findOrder(deps.db, merchantId, body.orderId)
  if (winner === undefined) throw new Error(`order ${body.orderId} neither inserted nor found`)
  return replay(body.orderId, { requestHash: winner.request_hash.toString('hex'), response: winner.response }, hash)
}
