// GET /v1/blocklist — the merchant's entries, newest first, paged, optionally of one type.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { listBlocklist } from '../../db/blocklist.js'
import { BlocklistPage, BlocklistType, toBlocklistEntry } from '../../schemas/blocklist.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { decodeCursor, encodeCursor } from './blocklist-params.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/blocklist', {
    config: { scope: 'lists:read' },
    schema: {
      operationId: 'listBlocklist',
      summary: 'List blocklist entries',
      tags: ['blocklist'],
      security: merchantKey('lists:read'),
      querystring: Type.Object({
        type: Type.Optional(BlocklistType),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' })),
        after: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: 'The nextCursor of the previous page' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(BlocklistPage, { description: 'A page of entries' }), ...problemResponses(400, ...AUTHED) },
    },
  }, async (request) => {
    const merchantId = merchantOf(request)
    const { type, limit = 50, after } = request.query
    const rows = await listBlocklist(app.db, merchantId, { limit: limit + 1, type, before: after === undefined ? undefined : decodeCursor(after) })
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    return { items: page.map(toBlocklistEntry), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.created_at, last.id) : null }
  })
}

export default plugin
