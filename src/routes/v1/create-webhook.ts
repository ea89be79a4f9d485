// POST /v1/webhooks — a notification endpoint (≤ 10 per merchant). Its signing secret is
// generated here and shown in this answer only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { insertEndpoint, MAX_ENDPOINTS } from '../../db/webhook-endpoints.js'
import { generateSecret } from '../../domain/webhooks/signature.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { toWebhook, WebhookCreateRequest, WebhookWithSecret } from '../../schemas/webhook.js'
import { merchantOf } from './merchant-params.js'
import { digestWindow, webhookUrl } from './webhook-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/webhooks', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'createWebhook',
      summary: 'Add a webhook endpoint',
      description: `At most ${MAX_ENDPOINTS} per merchant (the next is 409). Events: order.scored (level at or above minLevel), ` +
        'shipment.checked (recommendation other than proceed), batch.completed. Each delivery is signed: ' +
        '`Shinsa-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      body: WebhookCreateRequest,
      response: { 201: Type.Ref(WebhookWithSecret, { description: 'The endpoint and its secret, shown this once' }), ...problemResponses(400, 409, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const { url, minLevel, mode, window } = request.body
    const w = digestWindow(window)
    const secret = generateSecret()
    const row = await insertEndpoint(app.db, merchantId, {
      url: webhookUrl(url, app.config.allowLoopbackWebhooks), min_level: minLevel, mode, window_start: w.start, window_end: w.end, secret,
    })
    if (row === 'full') throw new AppError('CONFLICT', `A merchant has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first`)
    return reply.code(201).send({ ...toWebhook(row), secret })
  })
}

export default plugin
