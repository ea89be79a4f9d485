// POST /v1/merchants/{id}/api-keys — issue a key from a preset or a list of scopes. The key is
// in this answer only; rotation is: create a new key, move callers to it, revoke the old one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findMerchant } from '../../db/merchants.js'
import { insertApiKey } from '../../db/api-keys.js'
import { generateKey } from '../../domain/api-key.js'
import { PRESETS, canonicalScopes, type Preset, type Scope } from '../../domain/scopes.js'
import { ApiKeyCreate, ApiKeyCreated } from '../../schemas/api-key.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'
import { MerchantParams } from './params.js'

function chosenScopes (body: { preset?: string; scopes?: Scope[] }): Scope[] {
  if ((body.preset === undefined) === (body.scopes === undefined)) {
    const message = 'give exactly one of preset or scopes'
    throw new AppError('VALIDATION_FAILED', `body.preset ${message}`, { errors: [{ path: 'body.preset', message }] })
  }
  return canonicalScopes(body.scopes ?? PRESETS[body.preset as Preset])
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/merchants/:id/api-keys', {
    // No Idempotency-Key: its answer holds the key, which is stored nowhere but as a hash.
    config: { idempotency: false },
    schema: {
      operationId: 'createApiKey',
      summary: 'Issue an API key for a merchant',
      description: 'The answer holds the key itself, shown only this once. Store it in a secret manager.',
      tags: ['api-keys'],
      security: OPERATOR,
      params: MerchantParams,
      body: ApiKeyCreate,
      response: { 201: Type.Ref(ApiKeyCreated, { description: 'The key, shown this once' }), ...problemResponses(400, 404, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const { id } = request.params
    const scopes = chosenScopes(request.body)
    const expiresAt = request.body.expiresAt !== undefined ? new Date(request.body.expiresAt) : null
    // Ajv's date-time admits a leap second (…:60Z) that Date cannot hold: NaN is refused too.
    if (expiresAt !== null && !(expiresAt.getTime() > Date.now())) {
      throw new AppError('VALIDATION_FAILED', 'body.expiresAt must be in the future', {
        errors: [{ path: 'body.expiresAt', message: 'must be in the future' }],
      })
    }
    if (await findMerchant(app.db, id) === undefined) throw new AppError('NOT_FOUND', `No merchant ${id}`)
    const material = generateKey()
    const row = await insertApiKey(app.db, {
      merchant_id: id,
      prefix: material.prefix,
      name: request.body.name ?? null,
      key_hash: material.hash,
      scopes,
      expires_at: expiresAt,
    })
    app.keyCache.created(material.hash) // works at once here, even if its hash was ever tried
    reply.header('cache-control', 'no-store')
    return reply.code(201).send({
      id: row.id,
      merchantId: row.merchant_id,
      prefix: row.prefix,
      name: row.name,
      scopes: row.scopes as Scope[],
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at?.toISOString() ?? null,
      key: material.key,
    })
  })
}

export default plugin
