// GET /v1/fraud-addresses — the operator searches the store by prefecture / city / town, paged.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { listFraudAddresses } from '../../db/fraud-addresses.js'
import { FraudAddressPage, toFraudAddress } from '../../schemas/fraud-address.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'

const Name = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 100, description }))

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/fraud-addresses', {
    schema: {
      operationId: 'listFraudAddresses',
      summary: 'Search the fraud-address store',
      description: 'Filters compare the names as shinsa normalizes them: the official prefecture (東京都) and ' +
        'municipality with its ward or 郡 (大阪市北区, 東牟婁郡串本町), the town without its 丁目 (道玄坂).',
      tags: ['fraud-addresses'],
      security: OPERATOR,
      querystring: Type.Object({
        prefecture: Name('e.g. 東京都'),
        city: Name('e.g. 渋谷区'),
        town: Name('e.g. 道玄坂'),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        after: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'The nextCursor of the previous page' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(FraudAddressPage, { description: 'A page of store rows' }), ...problemResponses(400, ...AUTHED) },
    },
  }, async (request) => {
    const { prefecture, city, town, limit = 50, after } = request.query
    const rows = await listFraudAddresses(app.db, { prefecture, city, town }, { limit: limit + 1, after })
    const items = rows.slice(0, limit).map(toFraudAddress)
    return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null }
  })
}

export default plugin
