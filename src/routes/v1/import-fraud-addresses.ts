// POST /v1/fraud-addresses/imports — the operator uploads an issuer CSV (UTF-8 or Shift_JIS);
// streamed, never held whole; answers 201 with the import record once the upload is through.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { importFraudAddresses } from '../../imports/fraud-address-import.js'
import { uploadBody } from '../../plugins/request-timeouts.js'
import { FraudAddressImportSchema, toImport } from '../../schemas/fraud-address.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { OPERATOR } from '../../schemas/security.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  // The body stays a stream: the import reads it line by line under its own byte limit.
  app.addContentTypeParser('text/csv', (_request, payload, done) => { done(null, payload) })

  app.post('/v1/fraud-addresses/imports', {
    // Timed as an upload (SHINSA_UPLOAD_TIMEOUT_SECONDS, SHINSA_UPLOAD_IDLE_SECONDS), not as a call.
    config: { upload: true },
    schema: {
      operationId: 'importFraudAddresses',
      summary: 'Import issuer fraud addresses from CSV',
      description: 'CSV with the header `issuer,reported_on,prefecture,city,town,block,room,building`, UTF-8 or ' +
        'Shift_JIS (detected). Bad lines are listed by number and reason and skipped; good lines land in chunks. ' +
        'Rows already stored are counted as duplicates, never added twice.',
      tags: ['fraud-addresses'],
      security: OPERATOR,
      consumes: ['text/csv'],
      querystring: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A name for the import (e.g. the file name)' })),
      }, { additionalProperties: false }),
      body: Type.String({ 'x-stream': true, description: 'The CSV file' }),
      response: { 201: Type.Ref(FraudAddressImportSchema, { description: 'The import, finished' }), ...problemResponses(400, 408, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('text/csv')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as Content-Type: text/csv')
    }
    const declared = Number(request.headers['content-length'] ?? NaN)
    if (declared > app.config.importMaxBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `The upload is larger than ${app.config.importMaxBytes} bytes (SHINSA_IMPORT_MAX_BYTES)`)
    }
    const record = await importFraudAddresses(app, uploadBody(request), {
      name: request.query.name ?? `upload ${new Date().toISOString()}`,
      maxBytes: app.config.importMaxBytes,
    })
    return reply.code(201).header('location', `/v1/fraud-addresses/imports/${record.id}`).send(toImport(record))
  })
}

export default plugin
