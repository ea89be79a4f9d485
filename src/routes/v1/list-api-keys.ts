// GET /v1/merchants/{id}/api-keys — a merchant's keys with their status (never the keys themselves).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findMerchant } from '../../db/merchants.js'
import { listApiKeys } from '../../db/api-keys.js'
import { ApiKeyList, toApiKey } from '../../schemas/api-key.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'
import { MerchantParams } from './params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/merchants/:id/api-keys', {
    schema: {
      operationId: 'listApiKeys',
      summary: 'List a merchant\'s API keys',
      tags: ['api-keys'],
      security: OPERATOR,
      params: MerchantParams,
      response: { 200: Type.Ref(ApiKeyList, { description: 'The merchant\'s keys' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => {
    const { id } = request.params
    if (await findMerchant(app.db, id) === undefined) throw new AppError('NOT_FOUND', `No merchant ${id}`)
    const now = Date.now()
    return { items: (await listApiKeys(app.db, id)).map((row) => toApiKey(row, now)) }
  })
}

export default plugin
