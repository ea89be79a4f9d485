// POST /v1/personal-data/erasures — erase one person's data for the calling merchant (APPI 消去):
// the identifier is normalized as orders are, so the same person written differently is found.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError, ERRORS, problemType, type ErrorCode } from '../../errors.js'
import { erasePerson } from '../../decisions/erase-person.js'
import { canonicalEmail } from '../../domain/identity/email.js'
import type { ErasureSubject } from '../../domain/identity/erasure-subject.js'
import { nameKey } from '../../domain/identity/name.js'
import { canonicalPhone } from '../../domain/identity/phone.js'
import { ErasureRequest, ErasureSchema, type Erasure } from '../../schemas/personal-data.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { normalizeApiAddress } from './address-input.js'
import { merchantOf } from './merchant-params.js'

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${path} ${message}`, { errors: [{ path, message }] })

/** Exactly one way of naming the person, normalized; a problem naming the field otherwise. */
function subjectOf (body: { email?: string; phone?: string; name?: string; address?: Parameters<typeof normalizeApiAddress>[0] }): ErasureSubject {
  const given = (['email', 'phone', 'name', 'address'] as const).filter((k) => body[k] !== undefined)
  const forms = given.filter((k) => k !== 'address').length + (body.name === undefined && body.address !== undefined ? 1 : 0)
  if (forms !== 1) {
    throw new AppError('VALIDATION_FAILED', 'give exactly one of email, phone, or name with address', {
      errors: given.length === 0
        ? [{ path: 'body', message: 'must have email, phone, or name with address' }]
        : given.map((k) => ({ path: `body.${k}`, message: 'must not be given with ' + given.filter((o) => o !== k).join(', ') })),
    })
  }
  if (body.email !== undefined) {
    const email = canonicalEmail(body.email)
    if (email === null) throw invalid('body.email', 'is not an e-mail address')
    return { kind: 'email', email }
  }
  if (body.phone !== undefined) {
    const phone = canonicalPhone(body.phone)
    if (phone === null) throw invalid('body.phone', 'is not a Japanese phone number')
    return { kind: 'phone', phone }
  }
  if (body.address === undefined) throw invalid('body.address', 'is required with name')
  if (body.name === undefined) throw invalid('body.name', 'is required with address')
  const name = nameKey(body.name)
  if (name === null) throw invalid('body.name', 'is not a name')
  return { kind: 'name_address', name, address: normalizeApiAddress(body.address, 'body.address') }
}

const problem = (status: number, code: ErrorCode, detail: string, errors: { path: string; message: string }[]) => ({
  value: { type: problemType(code), title: ERRORS[code].title, status, detail, instance: '/v1/personal-data/erasures', code, requestId: '3f2b8c1e-6d4a-4e9b-9c7f-1a2b3c4d5e6f', errors },
})

/** The shared problem entries, with examples of this operation's own refusals. */
function responses () {
  const out = problemResponses(400, 413, 415, 422, ...AUTHED) as Record<number, { content: Record<string, Record<string, unknown>> }>
  out[400]!.content['application/problem+json']!.examples = {
    twoForms: problem(400, 'VALIDATION_FAILED', 'give exactly one of email, phone, or name with address', [
      { path: 'body.email', message: 'must not be given with phone' }, { path: 'body.phone', message: 'must not be given with email' }]),
    nameWithoutAddress: problem(400, 'VALIDATION_FAILED', 'body.address is required with name', [{ path: 'body.address', message: 'is required with name' }]),
  }
  out[422]!.content['application/problem+json']!.examples = {
    addressNotDomestic: problem(422, 'ADDRESS_NOT_DOMESTIC', 'body.address.line: not a Japanese address',
      [{ path: 'body.address.line', message: 'not a Japanese address' }]),
  }
  return out
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/personal-data/erasures', {
    config: { scope: 'personal-data:erase' },
    schema: {
      operationId: 'createPersonalDataErasure',
      summary: 'Erase one person\'s personal data',
      description: 'For a person\'s request under the APPI (個人情報保護法): in one transaction, deletes this merchant\'s ' +
        'scored orders carrying the identifier — with their feedback, fraud-history identifiers, shipment checks, ' +
        'address-match audit rows and webhook events — and blanks the e-mail or address of matching address-match ' +
        'batch rows. Other merchants\' data is never touched. Blocklist entries naming the person are listed, not ' +
        'deleted. The erasure itself is kept with a salted hash of the identifier only. Repeating it touches 0 rows.',
      tags: ['personal-data'],
      security: merchantKey('personal-data:erase'),
      body: ErasureRequest,
      response: {
        201: {
          description: 'The erasure made, and what it touched',
          headers: { 'x-request-id': { type: 'string', description: 'The request\'s id, as logged: quote it with the erasure id when answering the person' } },
          content: { 'application/json': { schema: Type.Ref(ErasureSchema) } },
        },
        ...responses(),
      },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const subject = subjectOf(request.body)
    const row = await erasePerson(app.db, merchantId, subject)
    const answer: Erasure = {
      id: row.id,
      kind: row.kind,
      touched: row.touched as Erasure['touched'],
      blocklistEntries: row.blocklistEntries,
      createdAt: row.created_at.toISOString(),
    }
    return reply.code(201).send(answer)
  })
}

export default plugin
