// Every error code shinsa answers with, in one table. Codes are part of the API contract:
// once shipped, a code never changes meaning or status.

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: 'The request does not match the schema' },
  MALFORMED_BODY: { status: 400, title: 'The request body cannot be parsed' },
  BAD_REQUEST: { status: 400, title: 'The request is malformed' },
  CSV_INVALID: { status: 400, title: 'The CSV upload cannot be read' },
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid credentials' },
  FORBIDDEN: { status: 403, title: 'The credentials do not allow this operation' },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this resource' },
  NOT_ACCEPTABLE: { status: 406, title: 'No acceptable representation' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  CARD_NUMBER_REFUSED: { status: 422, title: 'A full card number (PAN) was sent' },
  ADDRESS_NOT_DOMESTIC: { status: 422, title: 'The address is not a Japanese address' },
  ADDRESS_INVALID: { status: 422, title: 'The address cannot be read as a Japanese address' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database is unavailable' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
  OVERLOADED: { status: 503, title: 'The service is shedding load; retry after the time given' },
  RETENTION_TOO_LONG: { status: 422, title: 'The retention asked for is longer than this service allows' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'The Idempotency-Key was used with a different request' },
  IDEMPOTENCY_KEY_IN_PROGRESS: { status: 409, title: 'The first call with this Idempotency-Key is still running' },
  RULESET_INVALID: { status: 422, title: 'A rule of the ruleset does not compile' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ERRORS

export type FieldError = { path: string; message: string }

export type Problem = {
  type: string
  title: string
  status: number
  detail: string
  instance: string
  code: ErrorCode
  requestId: string
  errors?: FieldError[]
}

/** The problem `type` URI of a code: a tag URI (RFC 4151), stable and never dereferenced. */
export function problemType (code: ErrorCode): string {
  return `tag:shinsa.jp,2026:problems/${code.toLowerCase().replaceAll('_', '-')}`
}

/** An error the service raises on purpose; the problem handler turns it into problem+json. */
export class AppError extends Error {
  override name = 'AppError'
  readonly code: ErrorCode
  readonly statusCode: number
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor (code: ErrorCode, detail?: string, extra: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(detail ?? ERRORS[code].title, { cause: extra.cause })
    this.code = code
    this.statusCode = ERRORS[code].status
    this.errors = extra.errors
    this.headers = extra.headers
  }
}

export function buildProblem (
  code: ErrorCode,
  detail: string,
  where: { instance: string; requestId: string },
  errors?: FieldError[]
): Problem {
  const { status, title } = ERRORS[code]
  return {
    type: problemType(code),
    title,
    status,
    detail,
    instance: where.instance,
    code,
    requestId: where.requestId,
    ...(errors !== undefined ? { errors } : {}),
  }
}
