// POST /v1/address-match-batches — seed 001's CSV 照合 (or JSON rows): stored whole, answered
// 202 with the batch; a worker matches it in the background.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { createBatch } from '../../db/address-match-batches.js'
import { readBatchCsv, toBatchRow } from '../../imports/batch-upload.js'
import { uploadBody } from '../../plugins/request-timeouts.js'
import { AddressMatchBatchSchema, BatchJsonBody } from '../../schemas/address-match-batch.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { toBatch } from './batch-view.js'
import { merchantOf } from './merchant-params.js'

// Generous per row (eight short columns): the row limit is what binds.
const BYTES_PER_ROW = 1024

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('text/csv', (_request, payload, done) => { done(null, payload) })
  const maxRows = app.config.batchMaxRows
  const maxBytes = maxRows * BYTES_PER_ROW + 64 * 1024

  app.post('/v1/address-match-batches', {
    // Timed as an upload (SHINSA_UPLOAD_TIMEOUT_SECONDS, SHINSA_UPLOAD_IDLE_SECONDS), CSV or JSON.
    config: { scope: 'addresses:match', upload: true },
    bodyLimit: maxBytes,
    // Too many rows is refused before the schema runs: validating 500,000 bad rows one by one
    // would cost seconds and hundreds of MB only to say "too many".
    preValidation: async (request) => {
      const rows = (request.body as { rows?: unknown } | null)?.rows
      if (Array.isArray(rows) && rows.length > maxRows) throw new AppError('PAYLOAD_TOO_LARGE', `A batch holds at most ${maxRows} rows; split it`)
    },
    schema: {
      operationId: 'createAddressMatchBatch',
      summary: 'Match a batch of addresses (CSV or JSON rows)',
      description: 'text/csv in seed 001\'s eight columns (注文番号, メールアドレス, 都道府県, 市区町村, 地名, 丁目・番地・号, ' +
        '階・部屋番号, 建物名), header optional, UTF-8 or Shift_JIS; or application/json `{ rows: [...] }`. ' +
        `At most ${maxRows} rows (SHINSA_BATCH_MAX_ROWS). A line that cannot be read refuses the upload, nothing stored; ` +
        'a row with a missing or bad value is reported with the results.',
      tags: ['address-matching'],
      security: merchantKey('addresses:match'),
      consumes: ['text/csv', 'application/json'],
      body: {
        content: {
          'application/json': { schema: BatchJsonBody },
          'text/csv': { schema: Type.String({ 'x-stream': true, description: 'The CSV file' }) },
        },
      },
      response: { 202: Type.Ref(AddressMatchBatchSchema, { description: 'Accepted: poll the batch' }), ...problemResponses(400, 408, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const type = (request.headers['content-type'] ?? '').toLowerCase()
    let source: 'csv' | 'json'
    let encoding: string | null = null
    let rows
    if (type.startsWith('text/csv')) {
      const read = await readBatchCsv(uploadBody(request), { maxRows, maxBytes })
      source = 'csv'
      encoding = read.encoding
      rows = read.rows
    } else {
      const body = request.body as Static<typeof BatchJsonBody>
      if (body.rows.length > maxRows) throw new AppError('PAYLOAD_TOO_LARGE', `A batch holds at most ${maxRows} rows; split it`)
      source = 'json'
      rows = body.rows.map((r, i) => toBatchRow([r.orderId, r.email, r.prefecture, r.city, r.town, r.block, r.room, r.building].map((v) => v ?? ''), i + 1))
    }
    const batch = await createBatch(app.db, { merchant_id: merchantId, source, encoding }, rows)
    app.batchWorker?.kick()
    return reply.code(202).header('location', `/v1/address-match-batches/${batch.id}`).send(toBatch(batch))
  })
}

export default plugin
