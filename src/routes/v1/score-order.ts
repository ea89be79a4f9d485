// POST /v1/orders/score — authorization-time scoring (与信審査). Idempotent on (merchant,
// orderId): a retried call answers the stored result unchanged; the same orderId with another
// body is a 409.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { gatherScoringFacts } from '../../db/evidence.js'
import { findOrder, insertScoredOrder } from '../../db/orders.js'
import { buyerKey, identifiers, shipToKey } from '../../domain/scoring/identities.js'
import { dictionaryVersions } from '../../domain/scoring/dictionaries.js'
import { RULESET } from '../../domain/scoring/ruleset.js'
import { scoreOrder } from '../../domain/scoring/score.js'
import { fanout } from '../../domain/webhooks/fanout.js'
import { canonicalEmail } from '../../domain/identity/email.js'
import { nameKey } from '../../domain/identity/name.js'
import { OrderRequest, ScoreSchema, type ScoreAnswer } from '../../schemas/order.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { refuseCardNumbers } from './card-number-guard.js'
import { orderContext, requestHash } from './order-context.js'
import { REPLAYED_HEADER } from '../../schemas/idempotency.js'
import { merchantOf } from './merchant-params.js'

/** The stored answer for this body, or a 409 when the orderId was scored with another body. */
function replay (orderId: string, stored: { requestHash: string; response: unknown }, hash: Buffer): ScoreAnswer {
  if (stored.requestHash !== hash.toString('hex')) {
    throw new AppError('CONFLICT', `Order ${orderId} was already scored with a different body; score a changed order under a new orderId`)
  }
  const answer = stored.response as ScoreAnswer
  // Stored before answers named their versions: the ruleset was recorded, the dictionaries not.
  return answer.versions === undefined ? { ...answer, versions: { ruleset: answer.rulesetVersion, dictionaries: null } } : answer
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/orders/score', {
    config: { scope: 'orders:score' },
    preValidation: refuseCardNumbers,
    schema: {
      operationId: 'scoreOrder',
      summary: 'Score an order at authorization time (与信審査)',
      description: 'Runs every signal and answers the score (0–100), its level under the merchant\'s thresholds, ' +
        'a recommendation and the reasons. Cash on delivery (cod) gets no signals but BLOCKLIST_HIT. ' +
        'Idempotent on (merchant, orderId): a retry answers the stored result unchanged (header ' +
        '`idempotent-replayed: true`); the same orderId with a different body is 409. A full card number in any ' +
        'field but orderId and items[].sku is refused with 422 CARD_NUMBER_REFUSED.',
      tags: ['scoring'],
      security: merchantKey('orders:score'),
      body: OrderRequest,
      response: { 200: Type.Ref(ScoreSchema, { description: 'The score' }), ...problemResponses(400, 409, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const body = request.body
    const hash = requestHash(body)
    const ctx = orderContext(body)
    const ids = identifiers(ctx)
    const orderedAt = body.orderedAt !== undefined ? new Date(body.orderedAt) : new Date()
    const keys = {
      merchantId,
      orderedAt,
      buyerKey: buyerKey(ctx),
      buyerEmail: canonicalEmail(body.buyer.email),
      buyerName: nameKey(body.buyer.name),
      shipToKey: shipToKey(ctx),
      identifiers: ids,
    }
    // One round trip: the thresholds, an earlier call with this orderId, and the evidence.
    const { thresholds, stored, evidence, endpoints } = await gatherScoringFacts(app.db, ctx, { ...keys, orderId: body.orderId }, { trigramIndex: app.dbKind === 'postgres' })
    if (stored !== null) return reply.header(REPLAYED_HEADER, 'true').send(replay(body.orderId, stored, hash))
    if (thresholds === null) throw new AppError('NOT_FOUND', `No merchant ${merchantId}`)
    const verdict = scoreOrder({ ...ctx, evidence }, thresholds)
    const answer: ScoreAnswer = {
      orderId: body.orderId,
      score: verdict.score,
      level: verdict.level,
      recommendation: verdict.recommendation,
      reasons: verdict.reasons,
      history: verdict.reasons.some((r) => r.code === 'FRAUD_HISTORY_MATCH') ? 'match'
        : verdict.reasons.some((r) => r.code === 'FRAUD_HISTORY_SIMILAR') ? 'similar' : 'none',
      addressMatch: evidence.fraudAddress,
      rulesetVersion: RULESET.version,
      versions: { ruleset: RULESET.version, dictionaries: dictionaryVersions() },
      evaluatedAt: new Date().toISOString(),
    }
    const inserted = await insertScoredOrder(app.db, {
      merchant_id: merchantId,
      order_id: body.orderId,
      request_hash: hash,
      ordered_at: orderedAt,
      amount: body.amount,
      payment_method: body.paymentMethod,
      buyer_key: keys.buyerKey,
      buyer_email: keys.buyerEmail,
      buyer_name: keys.buyerName,
      ship_to_key: keys.shipToKey,
      ship_to_match_key: ctx.shipToAddress?.matchKey ?? null,
      identities: ids,
      score: verdict.score,
      level: verdict.level,
      recommendation: verdict.recommendation,
      ruleset_version: RULESET.version,
      response: answer,
    }, fanout(endpoints, { type: 'order.scored', data: answer }))
    if (inserted) return answer
    // A concurrent call with this orderId won the insert: answer what it stored, or 409.
    const winner = await findOrder(app.db, merchantId, body.orderId)
    if (winner === undefined) throw new Error(`order ${body.orderId} neither inserted nor found`)
    const stored2 = replay(body.orderId, { requestHash: winner.request_hash.toString('hex'), response: winner.response }, hash)
    return reply.header(REPLAYED_HEADER, 'true').send(stored2)
  })
}

export default plugin
