// GET /v1/merchants — the operator pages through merchants.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { listMerchants } from '../../db/merchants.js'
import { PageQuery } from '../../schemas/common.js'
import { MerchantPage, toMerchant } from '../../schemas/merchant.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/merchants', {
    schema: {
      operationId: 'listMerchants',
      summary: 'List merchants',
      tags: ['merchants'],
      security: OPERATOR,
      querystring: PageQuery,
      response: { 200: Type.Ref(MerchantPage, { description: 'A page of merchants' }), ...problemResponses(400, ...AUTHED) },
    },
  }, async (request) => {
    const { limit = 50, after } = request.query
    const rows = await listMerchants(app.db, { limit: limit + 1, after })
    const items = rows.slice(0, limit).map(toMerchant)
    return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null }
  })
}

export default plugin
