// GET /v1/merchants/{id} — the operator, or a key of that merchant (another's id is 404).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findMerchant } from '../../db/merchants.js'
import { canActFor } from '../../plugins/auth.js'
import { MerchantSchema, toMerchant } from '../../schemas/merchant.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR_OR_MERCHANT } from '../../schemas/security.js'
import { MerchantParams } from './params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/merchants/:id', {
    schema: {
      operationId: 'getMerchant',
      summary: 'Read a merchant (the operator, or an API key of that merchant)',
      tags: ['merchants'],
      security: OPERATOR_OR_MERCHANT,
      params: MerchantParams,
      response: { 200: Type.Ref(MerchantSchema, { description: 'The merchant' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => {
    const { id } = request.params
    const row = canActFor(request, id) ? await findMerchant(app.db, id) : undefined
    if (row === undefined) throw new AppError('NOT_FOUND', `No merchant ${id}`)
    return toMerchant(row)
  })
}

export default plugin
