// PATCH /v1/webhooks/{id} — change the URL, minimum level, mode or digest window. Deliveries
// already queued keep their schedule; new events follow the new settings.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { updateEndpoint } from '../../db/webhook-endpoints.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { toWebhook, WebhookSchema, WebhookUpdateRequest } from '../../schemas/webhook.js'
import { merchantOf } from './merchant-params.js'
import { digestWindow, WebhookParams, webhookUrl } from './webhook-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.patch('/v1/webhooks/:id', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'updateWebhook',
      summary: 'Change a webhook endpoint',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: WebhookParams,
      body: WebhookUpdateRequest,
      response: { 200: Type.Ref(WebhookSchema, { description: 'The endpoint as changed' }), ...problemResponses(400, 404, 413, 415, 422, ...AUTHED) },
    },
  }, async (request) => {
    const { url, minLevel, mode, window } = request.body
    const w = window === undefined ? undefined : digestWindow(window)
    const row = await updateEndpoint(app.db, merchantOf(request), request.params.id, {
      ...(url !== undefined ? { url: webhookUrl(url, app.config.allowLoopbackWebhooks) } : {}),
      ...(minLevel !== undefined ? { min_level: minLevel } : {}),
      ...(mode !== undefined ? { mode } : {}),
      ...(w !== undefined ? { window_start: w.start, window_end: w.end } : {}),
    })
    if (row === undefined) throw new AppError('NOT_FOUND', `No webhook endpoint ${request.params.id}`)
    return toWebhook(row)
  })
}

export default plugin
