// POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver — send a delivery again now (after
// it failed, or to replay one), with a fresh 24-hour retry budget and the same payload id. A
// digest whose hour has not come is 409: sent early, it would miss the rest of its hour.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { redeliver } from '../../db/webhook-deliveries.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { merchantOf } from './merchant-params.js'
import { DeliveryParams } from './webhook-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/webhooks/:id/deliveries/:deliveryId/redeliver', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'redeliverWebhook',
      summary: 'Send a delivery again',
      description: 'Queues the delivery to be sent now, with the same payload id and a fresh 24-hour retry budget. A digest cannot be sent before its hour (409): it would miss the events that hour still gathers. To an endpoint whose circuit is open it goes when the circuit lets deliveries through again.',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: DeliveryParams,
      response: {
        202: Type.Object({ deliveryId: Type.String({ format: 'uuid' }) }, { additionalProperties: false, description: 'Queued again' }),
        ...problemResponses(400, 404, 409, 413, 415, ...AUTHED),
      },
    },
  }, async (request, reply) => {
    const { id, deliveryId } = request.params
    const r = await redeliver(app.db, merchantOf(request), id, deliveryId)
    if (!r.found) throw new AppError('NOT_FOUND', `No delivery ${deliveryId} for webhook endpoint ${id}`)
    if (!r.queued) {
      throw new AppError('CONFLICT', `Delivery ${deliveryId} is the digest of ${r.digestSlot?.toISOString()}; it cannot be sent before that hour (it would miss the hour's later events)`)
    }
    app.webhookWorker?.kick()
    return reply.code(202).send({ deliveryId })
  })
}

export default plugin
