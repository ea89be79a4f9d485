// POST /v1/blocklist — list an e-mail (or a whole domain), phone, name, address, card BIN or IP
// range. The value is normalized as orders are, so 090-1234-5678 blocks +81 90 1234 5678.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findBlocklistEntryByValue, insertBlocklistEntry } from '../../db/blocklist.js'
import { normalizeBlocklistValue } from '../../domain/identity/blocklist-value.js'
import { BlocklistEntryRequest, BlocklistEntrySchema, toBlocklistEntry } from '../../schemas/blocklist.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { refuseCardNumbers } from './card-number-guard.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/blocklist', {
    config: { scope: 'lists:write' },
    preValidation: refuseCardNumbers,
    schema: {
      operationId: 'createBlocklistEntry',
      summary: 'Add a blocklist entry',
      description: 'A listed value makes any order carrying it high (BLOCKLIST_HIT), cash on delivery included. ' +
        'Listing a value already listed (after normalization) is 409.',
      tags: ['blocklist'],
      security: merchantKey('lists:write'),
      body: BlocklistEntryRequest,
      response: { 201: Type.Ref(BlocklistEntrySchema, { description: 'The entry' }), ...problemResponses(400, 409, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const { type, value, note } = request.body
    const normalized = normalizeBlocklistValue(type, value)
    if ('error' in normalized) {
      throw new AppError('VALIDATION_FAILED', `body.value ${normalized.error}`, { errors: [{ path: 'body.value', message: normalized.error }] })
    }
    const row = await insertBlocklistEntry(app.db, {
      merchant_id: merchantId, type, value, normalized: normalized.normalized,
      ip_range: type === 'ip' ? normalized.normalized : null, note: note ?? null,
    })
    if (row === undefined) {
      const existing = await findBlocklistEntryByValue(app.db, merchantId, type, normalized.normalized)
      throw new AppError('CONFLICT', `This ${type} is already listed as entry ${existing?.id ?? '(just deleted)'}`)
    }
    return reply.code(201).send(toBlocklistEntry(row))
  })
}

export default plugin
