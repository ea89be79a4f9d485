// DELETE /v1/merchants/{id}/api-keys/{keyId} — revoke a key: at once here, within
// SHINSA_AUTH_CACHE_MS on other instances (they cache valid keys that long).
// Idempotent: revoking again answers the same record with the first revocation time.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { revokeApiKey } from '../../db/api-keys.js'
import { ApiKeySchema, toApiKey } from '../../schemas/api-key.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'
import { ApiKeyParams } from './params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.delete('/v1/merchants/:id/api-keys/:keyId', {
    schema: {
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      tags: ['api-keys'],
      security: OPERATOR,
      params: ApiKeyParams,
      response: { 200: Type.Ref(ApiKeySchema, { description: 'The key, revoked' }), ...problemResponses(400, 404, 413, 415, ...AUTHED) },
    },
  }, async (request) => {
    const { id, keyId } = request.params
    const row = await revokeApiKey(app.db, id, keyId)
    app.keyCache.forget(keyId) // this instance refuses the key from now on
    if (row === undefined) throw new AppError('NOT_FOUND', `No API key ${keyId} for merchant ${id}`)
    return toApiKey(row)
  })
}

export default plugin
