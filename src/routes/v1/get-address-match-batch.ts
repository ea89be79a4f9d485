// GET /v1/address-match-batches/{id} — a batch's status, counts, progress and timings.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findBatch } from '../../db/address-match-batches.js'
import { AddressMatchBatchSchema } from '../../schemas/address-match-batch.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { toBatch } from './batch-view.js'
import { BatchParams, merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/address-match-batches/:id', {
    config: { scope: 'addresses:match' },
    schema: {
      operationId: 'getAddressMatchBatch',
      summary: 'Read a batch\'s status (queued, running, done, failed), counts and timings',
      tags: ['address-matching'],
      security: merchantKey('addresses:match'),
      params: BatchParams,
      response: { 200: Type.Ref(AddressMatchBatchSchema, { description: 'The batch' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => {
    const batch = await findBatch(app.db, merchantOf(request), request.params.id)
    if (batch === undefined) throw new AppError('NOT_FOUND', `No batch ${request.params.id}`)
    return toBatch(batch)
  })
}

export default plugin
