// POST /v1/webhooks/{id}/test — sends a `test` event to the endpoint now (whatever its mode),
// through the same queue, signature and retries as real events.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { enqueueTest } from '../../db/webhook-deliveries.js'
import { findEndpoint } from '../../db/webhook-endpoints.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { merchantOf } from './merchant-params.js'
import { WebhookParams } from './webhook-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/webhooks/:id/test', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'testWebhook',
      summary: 'Send a test event',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: WebhookParams,
      response: {
        202: Type.Object({ deliveryId: Type.String({ format: 'uuid' }), eventId: Type.String({ format: 'uuid' }) }, { additionalProperties: false, description: 'Queued; see the delivery log' }),
        ...problemResponses(400, 404, 413, 415, ...AUTHED),
      },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const endpoint = await findEndpoint(app.db, merchantId, request.params.id)
    if (endpoint === undefined) throw new AppError('NOT_FOUND', `No webhook endpoint ${request.params.id}`)
    const queued = await enqueueTest(app.db, merchantId, endpoint.id, { message: 'shinsa test event', endpointId: endpoint.id })
    app.webhookWorker?.kick()
    return reply.code(202).send(queued)
  })
}

export default plugin
