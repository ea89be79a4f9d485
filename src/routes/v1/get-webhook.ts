// GET /v1/webhooks/{id} — one endpoint (never its secret).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findEndpoint } from '../../db/webhook-endpoints.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { toWebhook, WebhookSchema } from '../../schemas/webhook.js'
import { merchantOf } from './merchant-params.js'
import { WebhookParams } from './webhook-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/webhooks/:id', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'getWebhook',
      summary: 'Read a webhook endpoint',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: WebhookParams,
      response: { 200: Type.Ref(WebhookSchema, { description: 'The endpoint' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => {
    const row = await findEndpoint(app.db, merchantOf(request), request.params.id)
    if (row === undefined) throw new AppError('NOT_FOUND', `No webhook endpoint ${request.params.id}`)
    return toWebhook(row)
  })
}

export default plugin
