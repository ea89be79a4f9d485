// GET /v1/fraud-addresses/imports/{id} — an import record, again.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findImport } from '../../db/fraud-addresses.js'
import { Uuid } from '../../schemas/common.js'
import { FraudAddressImportSchema, toImport } from '../../schemas/fraud-address.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/fraud-addresses/imports/:id', {
    schema: {
      operationId: 'getFraudAddressImport',
      summary: 'Read an import record',
      tags: ['fraud-addresses'],
      security: OPERATOR,
      params: Type.Object({ id: Uuid('Import id') }, { additionalProperties: false }),
      response: { 200: Type.Ref(FraudAddressImportSchema, { description: 'The import' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => {
    const row = await findImport(app.db, request.params.id)
    if (row === undefined) throw new AppError('NOT_FOUND', `No import ${request.params.id}`)
    return toImport(row)
  })
}

export default plugin
