// POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver — send a delivery again now (after
// it failed, or to replay one), with a fresh 24-hour retry budget and the same payload id.
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
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: DeliveryParams,
      response: {
        202: Type.Object({ deliveryId: Type.String({ format: 'uuid' }) }, { additionalProperties: false, description: 'Queued again' }),
        ...problemResponses(400, 404, 413, 415, ...AUTHED),
      },
    },
  }, async (request, reply) => {
    const { id, deliveryId } = request.params
    if (!await redeliver(app.db, merchantOf(request), id, deliveryId)) throw new AppError('NOT_FOUND', `No delivery ${deliveryId} for webhook endpoint ${id}`)
    app.webhookWorker?.kick()
    return reply.code(202).send({ deliveryId })
  })
}

export default plugin
