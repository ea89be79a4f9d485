// GET /v1/address-match-batches/{id}/results — paged JSON (50 a page by default), or with
// Accept: text/csv the whole result as seed 001's CSV (UTF-8 with BOM, or Shift_JIS on request).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Readable } from 'node:stream'
import iconv from 'iconv-lite'
import { AppError } from '../../errors.js'
import { csvLines } from '../../csv/write.js'
import { findBatch, resultRows } from '../../db/address-match-batches.js'
import { StringEnum } from '../../schemas/common.js'
import { BatchResultPage } from '../../schemas/address-match-batch.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { RESULT_CSV_HEADER, resultCsvLines, toResultRow } from './batch-view.js'
import { BatchParams, merchantOf } from './merchant-params.js'

const CSV_PAGE = 1000

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/address-match-batches/:id/results', {
    config: { scope: 'addresses:match' },
    schema: {
      operationId: 'getAddressMatchBatchResults',
      summary: 'Read a batch\'s results, paged, or download them all as CSV',
      description: 'Send `Accept: text/csv` for the whole result as seed 001\'s CSV (its eight columns, 照合結果, 件数, ' +
        'the 判定結果 of each field, and an error column): UTF-8 with a BOM, or Shift_JIS with `encoding=shift_jis`.',
      tags: ['address-matching'],
      security: merchantKey('addresses:match'),
      params: BatchParams,
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
        after: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'The nextCursor of the previous page' })),
        encoding: StringEnum(['utf-8', 'shift_jis'], { default: 'utf-8', description: 'Of the CSV download' }),
      }, { additionalProperties: false }),
      produces: ['application/json', 'text/csv'],
      response: {
        200: {
          description: 'A page of results (JSON), or all of them (CSV)',
          content: {
            'application/json': { schema: Type.Ref(BatchResultPage) },
            'text/csv': { schema: Type.String({ description: 'Seed 001\'s result CSV' }) },
          },
        },
        ...problemResponses(400, 404, ...AUTHED),
      },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const { id } = request.params
    if (await findBatch(app.db, merchantId, id) === undefined) throw new AppError('NOT_FOUND', `No batch ${id}`)
    const { limit = 50, after, encoding } = request.query

    if (/\btext\/csv\b/i.test(request.headers.accept ?? '')) {
      const sjis = encoding === 'shift_jis'
      const encode = (text: string) => (sjis ? iconv.encode(text, 'cp932') : Buffer.from(text))
      async function * csv () {
        yield encode((sjis ? '' : '\uFEFF') + csvLines([RESULT_CSV_HEADER]))
        for (let afterLine = 0; ;) {
          const rows = await resultRows(app.db, merchantId, id, { afterLine, limit: CSV_PAGE })
          if (rows.length === 0) return
          yield encode(resultCsvLines(rows))
          afterLine = rows.at(-1)!.line
        }
      }
      return reply
        .type(`text/csv; charset=${sjis ? 'shift_jis' : 'utf-8'}`)
        .header('content-disposition', `attachment; filename="address-match-${id}.csv"`)
        .send(Readable.from(csv()) as unknown as string)
    }

    const rows = await resultRows(app.db, merchantId, id, { afterLine: Number(after ?? 0), limit: limit + 1 })
    const items = rows.slice(0, limit).map(toResultRow)
    return reply.type('application/json').send({ items, nextCursor: rows.length > limit ? String(items.at(-1)!.line) : null })
  })
}

export default plugin
