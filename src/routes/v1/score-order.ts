// POST /v1/orders/score — authorization-time scoring (与信審査). Idempotent on (merchant,
// orderId): a retried call answers the stored result unchanged; the same orderId with another
// body is a 409.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { scoreOrder } from '../../decisions/score-order.js'
import { OrderRequest, ScoreSchema } from '../../schemas/order.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { refuseCardNumbers } from './card-number-guard.js'
import { orderContext, requestHash } from './order-context.js'
import { REPLAYED_HEADER } from '../../schemas/idempotency.js'
import { merchantOf } from './merchant-params.js'

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
    const { answer, replayed } = await scoreOrder(app.decisions, merchantOf(request), orderContext(request.body), requestHash(request.body))
    if (replayed) reply.header(REPLAYED_HEADER, 'true')
    return answer
  })
}

export default plugin
