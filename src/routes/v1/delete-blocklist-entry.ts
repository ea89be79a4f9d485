// DELETE /v1/blocklist/{id} — unlist an entry; orders scored from now on no longer hit it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { deleteBlocklistEntry } from '../../db/blocklist.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { BlocklistParams } from './blocklist-params.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.delete('/v1/blocklist/:id', {
    config: { scope: 'lists:write' },
    schema: {
      operationId: 'deleteBlocklistEntry',
      summary: 'Remove a blocklist entry',
      tags: ['blocklist'],
      security: merchantKey('lists:write'),
      params: BlocklistParams,
      response: { 204: Type.Null({ description: 'Removed' }), ...problemResponses(400, 404, 413, 415, ...AUTHED) },
    },
  }, async (request, reply) => {
    const removed = await deleteBlocklistEntry(app.db, merchantOf(request), request.params.id)
    if (!removed) throw new AppError('NOT_FOUND', `No blocklist entry ${request.params.id}`)
    return reply.code(204).send(null)
  })
}

export default plugin
