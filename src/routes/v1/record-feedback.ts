// POST /v1/orders/{orderId}/feedback — the order's outcome. chargeback and fraud_confirmed file
// its identifiers in the merchant's fraud history (what 一致 / 類似 search); legitimate takes
// them out again. The latest feedback is the order's outcome; every one is kept.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { insertFeedback } from '../../db/feedback.js'
import { findOrder, recordOutcome } from '../../db/orders.js'
import { OrderId } from '../../schemas/address-match.js'
import { FeedbackRequest, FeedbackSchema } from '../../schemas/feedback.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { refuseCardNumbers } from './card-number-guard.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/orders/:orderId/feedback', {
    config: { scope: 'orders:feedback' },
    preValidation: refuseCardNumbers,
    schema: {
      operationId: 'recordOrderFeedback',
      summary: 'Report an order\'s outcome (chargeback, fraud_confirmed, legitimate)',
      tags: ['scoring'],
      security: merchantKey('orders:feedback'),
      params: Type.Object({ orderId: OrderId }, { additionalProperties: false }),
      body: FeedbackRequest,
      response: { 201: Type.Ref(FeedbackSchema, { description: 'The feedback, recorded' }), ...problemResponses(400, 404, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const { orderId } = request.params
    const { type, note } = request.body
    const row = await app.db.transaction().execute(async (trx) => {
      const order = await findOrder(trx, merchantId, orderId)
      if (order === undefined) throw new AppError('NOT_FOUND', `No scored order ${orderId}`)
      const feedback = await insertFeedback(trx, { merchant_id: merchantId, order_id: orderId, type, note: note ?? null })
      await recordOutcome(trx, merchantId, orderId, type)
      return feedback
    })
    return reply.code(201).send({ id: row.id, orderId: row.order_id, type: row.type, note: row.note, createdAt: row.created_at.toISOString() })
  })
}

export default plugin
