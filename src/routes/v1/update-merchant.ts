// PATCH /v1/merchants/{id} — the operator renames a merchant or changes its level thresholds.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { findMerchant, updateMerchant } from '../../db/merchants.js'
import { MerchantSchema, MerchantUpdate, toMerchant } from '../../schemas/merchant.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'
import { retentionColumn } from './merchant-retention.js'
import { thresholdColumns } from './merchant-thresholds.js'
import { MerchantParams } from './params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.patch('/v1/merchants/:id', {
    schema: {
      operationId: 'updateMerchant',
      summary: 'Change a merchant\'s name or settings',
      description: 'Settings: level thresholds; `retentionDays` — how long the merchant\'s personal data is kept before the purge deletes it; ' +
        'and `rules.publishRequiresSecondKey` — maker-checker for publishing ruleset versions.',
      tags: ['merchants'],
      security: OPERATOR,
      params: MerchantParams,
      body: MerchantUpdate,
      response: { 200: Type.Ref(MerchantSchema, { description: 'The merchant, changed' }), ...problemResponses(400, 404, 413, 415, 422, ...AUTHED) },
    },
  }, async (request) => {
    const { id } = request.params
    // Read and write in one transaction so thresholds are checked against what they replace.
    const row = await app.db.transaction().execute(async (trx) => {
      const current = await findMerchant(trx, id, { lock: true })
      if (current === undefined) return undefined
      const { name, settings } = request.body
      return updateMerchant(trx, id, {
        ...(name !== undefined ? { name: name.trim() } : {}),
        ...thresholdColumns(settings?.thresholds, { elevated: current.level_elevated_at, high: current.level_high_at }),
        ...retentionColumn(settings?.retentionDays, app.config.retentionMaxDays, false),
        ...(settings?.rules?.publishRequiresSecondKey !== undefined ? { publish_requires_second_key: settings.rules.publishRequiresSecondKey } : {}),
      })
    })
    if (row === undefined) throw new AppError('NOT_FOUND', `No merchant ${id}`)
    return toMerchant(row)
  })
}

export default plugin
