// DELETE /v1/webhooks/{id} — remove an endpoint with its pending deliveries and their log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { deleteEndpoint } from '../../db/webhook-endpoints.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { merchantOf } from './merchant-params.js'
import { WebhookParams } from './webhook-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.delete('/v1/webhooks/:id', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'deleteWebhook',
      summary: 'Remove a webhook endpoint',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: WebhookParams,
      response: { 204: Type.Null({ description: 'Removed' }), ...problemResponses(400, 404, 413, 415, ...AUTHED) },
    },
  }, async (request, reply) => {
    if (!await deleteEndpoint(app.db, merchantOf(request), request.params.id)) throw new AppError('NOT_FOUND', `No webhook endpoint ${request.params.id}`)
    return reply.code(204).send(null)
  })
}

export default plugin
