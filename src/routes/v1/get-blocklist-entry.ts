// GET /v1/blocklist/{id} — one entry of the merchant's blocklist.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findBlocklistEntry } from '../../db/blocklist.js'
import { BlocklistEntrySchema, toBlocklistEntry } from '../../schemas/blocklist.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { BlocklistParams } from './blocklist-params.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/blocklist/:id', {
    config: { scope: 'lists:read' },
    schema: {
      operationId: 'getBlocklistEntry',
      summary: 'Read a blocklist entry',
      tags: ['blocklist'],
      security: merchantKey('lists:read'),
      params: BlocklistParams,
      response: { 200: Type.Ref(BlocklistEntrySchema, { description: 'The entry' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => {
    const row = await findBlocklistEntry(app.db, merchantOf(request), request.params.id)
    if (row === undefined) throw new AppError('NOT_FOUND', `No blocklist entry ${request.params.id}`)
    return toBlocklistEntry(row)
  })
}

export default plugin
