// DELETE /v1/fraud-addresses/{id} — the operator removes a store row (an issuer withdrew it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { deleteFraudAddress } from '../../db/fraud-addresses.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.delete('/v1/fraud-addresses/:id', {
    schema: {
      operationId: 'deleteFraudAddress',
      summary: 'Remove a row from the fraud-address store',
      tags: ['fraud-addresses'],
      security: OPERATOR,
      params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$', description: 'Store row id' }) }, { additionalProperties: false }),
      response: { 204: Type.Null({ description: 'Removed' }), ...problemResponses(400, 404, 413, 415, ...AUTHED) },
    },
  }, async (request, reply) => {
    if (!await deleteFraudAddress(app.db, request.params.id)) throw new AppError('NOT_FOUND', `No fraud address ${request.params.id}`)
    return reply.code(204).send(null)
  })
}

export default plugin
