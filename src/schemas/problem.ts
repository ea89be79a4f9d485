// The problem document (RFC 9457) and the per-route response entries that document it.
import { Type } from '@sinclair/typebox'
import { StringEnum } from './common.js'
import { ERRORS, type ErrorCode } from '../errors.js'

export const FieldErrorSchema = Type.Object({
  path: Type.String({ description: 'Where the failing value is: body.buyer.email, query.limit, path.id' }),
  message: Type.String({ description: 'Why it fails' }),
}, { $id: 'FieldError', additionalProperties: false })

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'URI identifying the problem type' }),
  title: Type.String(),
  status: Type.Integer({ description: 'The HTTP status code' }),
  detail: Type.String({ description: 'What went wrong with this request' }),
  instance: Type.String({ description: 'The request path' }),
  code: StringEnum(Object.keys(ERRORS) as ErrorCode[], { description: 'Stable machine-readable error code' }),
  requestId: Type.String({ description: 'Echoes the x-request-id response header' }),
  errors: Type.Optional(Type.Array(Type.Ref(FieldErrorSchema), { description: 'One entry per failing field (VALIDATION_FAILED)' })),
}, { $id: 'Problem', additionalProperties: false, description: 'RFC 9457 problem details' })

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request breaks the schema (VALIDATION_FAILED) or cannot be parsed (MALFORMED_BODY)',
  401: 'Missing, invalid, revoked or expired credential (UNAUTHORIZED)',
  403: 'The credential lacks the scope or role for this operation (FORBIDDEN)',
  404: 'No such resource, or it belongs to another merchant (NOT_FOUND)',
  408: 'The body did not arrive in time: it stalled or ran past its limit, and nothing of it was kept (REQUEST_TIMEOUT)',
  409: 'Conflicts with the current state (CONFLICT)',
  413: 'The request body is too large (PAYLOAD_TOO_LARGE)',
  415: 'Unsupported Content-Type (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Well-formed, but refused by a domain rule',
  429: 'Too many requests (RATE_LIMITED)',
  500: 'Internal error (INTERNAL)',
  503: 'The database or service is unavailable (DATABASE_UNAVAILABLE, NOT_READY)',
}

/** Response entries for the given problem statuses, plus 500 which any operation can answer. */
export function problemResponses (...statuses: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {}
  for (const status of [...new Set([...statuses, 500])].sort()) {
    out[status] = {
      description: DESCRIPTIONS[status] ?? 'Problem',
      content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } },
    }
  }
  return out
}

/** Problems every authenticated operation can answer. */
export const AUTHED = [401, 403, 429, 503] as const

