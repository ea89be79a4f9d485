// POST /v1/webhooks/{id}/rotate-secret — a new signing secret, shown once. For 24 hours every
// delivery carries a v1 signature under each secret, so the merchant can switch without loss.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { rotateSecret } from '../../db/webhook-endpoints.js'
import { generateSecret } from '../../domain/webhooks/signature.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { toWebhook, WebhookWithSecret } from '../../schemas/webhook.js'
import { merchantOf } from './merchant-params.js'
import { WebhookParams } from './webhook-params.js'

const GRACE_MS = 24 * 3_600_000

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/webhooks/:id/rotate-secret', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'rotateWebhookSecret',
      summary: 'Rotate an endpoint\'s signing secret',
      description: 'The previous secret also signs (a second v1 in Shinsa-Signature) for 24 hours.',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: WebhookParams,
      response: { 200: Type.Ref(WebhookWithSecret, { description: 'The endpoint and its new secret, shown this once' }), ...problemResponses(400, 404, 413, 415, ...AUTHED) },
    },
  }, async (request) => {
    const secret = generateSecret()
    const row = await rotateSecret(app.db, merchantOf(request), request.params.id, secret, new Date(Date.now() + GRACE_MS))
    if (row === undefined) throw new AppError('NOT_FOUND', `No webhook endpoint ${request.params.id}`)
    return { ...toWebhook(row), secret }
  })
}

export default plugin
