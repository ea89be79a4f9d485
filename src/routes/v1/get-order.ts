// GET /v1/orders/{orderId} — the stored decision: the answer, what it was computed from
// (features), how (trace), the shadow version's outcome, whether it replays, and its labels.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { getDecision } from '../../decisions/orders.js'
import { OrderId } from '../../schemas/address-match.js'
import { StoredDecisionSchema } from '../../schemas/decision.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/orders/:orderId', {
    config: { scope: 'orders:read' },
    schema: {
      operationId: 'getOrder',
      summary: 'Read an order\'s stored decision, why it was made, and whether it replays',
      description: 'The answer the score call gave; the features it was computed from (the order as sent, its normalized ' +
        'identities, the evidence, the built-in signals that fired); the trace (versions, thresholds, each reason\'s points, ' +
        'every merchant rule matched / not_matched / error, what decided the recommendation); the shadow version\'s outcome; ' +
        '`replay.identical`: the features decided again under the stored versions give the stored answer; and the labels ' +
        '(feedback). Orders scored before decisions were recorded have features, trace and replay null.',
      tags: ['decisions'],
      security: merchantKey('orders:read'),
      params: Type.Object({ orderId: OrderId }, { additionalProperties: false }),
      response: { 200: Type.Ref(StoredDecisionSchema, { description: 'The stored decision' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => getDecision(app.decisions, merchantOf(request), request.params.orderId))
}

export default plugin
