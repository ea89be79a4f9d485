// GET /v1/webhooks/{id}/deliveries — the delivery log, newest first, with every attempt
// (status, latency, error).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { listDeliveries } from '../../db/webhook-deliveries.js'
import { findEndpoint } from '../../db/webhook-endpoints.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { DeliveryPage, toDelivery } from '../../schemas/webhook.js'
import { decodeCursor, encodeCursor } from './blocklist-params.js'
import { merchantOf } from './merchant-params.js'
import { WebhookParams } from './webhook-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/webhooks/:id/deliveries', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log of an endpoint',
      tags: ['webhooks'],
      security: merchantKey('webhooks:manage'),
      params: WebhookParams,
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' })),
        after: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: 'The nextCursor of the previous page' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(DeliveryPage, { description: 'A page of deliveries' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => {
    const merchantId = merchantOf(request)
    const { limit = 50, after } = request.query
    if (await findEndpoint(app.db, merchantId, request.params.id) === undefined) throw new AppError('NOT_FOUND', `No webhook endpoint ${request.params.id}`)
    const rows = await listDeliveries(app.db, merchantId, request.params.id, { limit: limit + 1, before: after === undefined ? undefined : decodeCursor(after) })
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return { items: page.map(toDelivery), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.created_at, last.id) : null }
  })
}

export default plugin
