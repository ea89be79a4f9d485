// GET /v1/webhooks — the merchant's endpoints (never their secrets).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { listEndpoints } from '../../db/webhook-endpoints.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { toWebhook, WebhookList } from '../../schemas/webhook.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/webhooks', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'listWebhooks',
      summary: 'List webhook endpoints',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      response: { 200: Type.Ref(WebhookList, { description: 'Every endpoint (at most 10)' }), ...problemResponses(...AUTHED) },
    },
  }, async (request) => ({ items: (await listEndpoints(app.db, merchantOf(request))).map(toWebhook) }))
}

export default plugin
