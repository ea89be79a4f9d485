// POST /v1/merchants — the operator registers a merchant (加盟店).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { insertMerchant } from '../../db/merchants.js'
import { MerchantCreate, MerchantSchema, toMerchant } from '../../schemas/merchant.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'
import { retentionColumn } from './merchant-retention.js'
import { thresholdColumns } from './merchant-thresholds.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/merchants', {
    schema: {
      operationId: 'createMerchant',
      summary: 'Create a merchant',
      tags: ['merchants'],
      security: OPERATOR,
      body: MerchantCreate,
      response: { 201: Type.Ref(MerchantSchema, { description: 'The merchant, created' }), ...problemResponses(400, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const row = await insertMerchant(app.db, {
      name: request.body.name.trim(),
      ...thresholdColumns(request.body.settings?.thresholds, { elevated: 10, high: 50 }),
      ...retentionColumn(request.body.settings?.retentionDays, app.config.retentionMaxDays, true),
      ...(request.body.settings?.rules?.publishRequiresSecondKey !== undefined ? { publish_requires_second_key: request.body.settings.rules.publishRequiresSecondKey } : {}),
    })
    return reply.code(201).header('location', `/v1/merchants/${row.id}`).send(toMerchant(row))
  })
}

export default plugin
