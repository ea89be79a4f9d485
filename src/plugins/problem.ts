// Every failure leaves as RFC 9457 application/problem+json with a stable code: schema
// violations, unknown routes (404) and methods (405), body limits (413), media types (415),
// database outages (503) and anything unexpected (500, logged whole, answered generically).
import fp from 'fastify-plugin'
import FindMyWay, { type HTTPVersion } from 'find-my-way'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, buildProblem, type ErrorCode, type FieldError } from '../errors.js'
import { fieldErrors } from '../validation.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Counts a 503 that comes in floods (load shed, database down) instead of logging it: one
     * warning a second gives the counts by code and cause, with the first error of that second.
     */
    countUnavailable: (code: 'OVERLOADED' | 'DATABASE_UNAVAILABLE', cause: string, err?: unknown) => void
  }
}

// Fastify's own errors that are the client's fault, by Fastify error code.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
}

// Any other client error a plugin raises, by its HTTP status.
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 406: 'NOT_ACCEPTABLE', 408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED',
}

/** The code for a client error raised by Fastify or a plugin: by status, else the generic 400. */
function clientErrorCode (status: number | undefined): ErrorCode | undefined {
  if (status === undefined || status < 400 || status >= 500) return undefined
  return STATUS_CODES[status] ?? 'BAD_REQUEST'
}

/** Retry-After of a 503 DATABASE_UNAVAILABLE, in seconds. */
const DATABASE_RETRY_AFTER_S = '5'

/** Longest detail or instance an answer carries. */
const MAX_TEXT = 2000

/** At most this many field errors in one answer. */
export const MAX_FIELD_ERRORS = 100

// node-postgres and PostgreSQL signs that the database, not the request, is the problem:
// connection refused or reset, pool timeouts, SQLSTATE class 08 (connection), 57P (shutdown),
// 3D000 (no such database), 28 (authentication) and 53300 (too many connections).
/**
 * Why the database, not the request, is the problem, as a short code for logs (the SQLSTATE or
 * errno, or a name for node-postgres' own messages; never a message, which may quote data), or
 * undefined when it is not the database.
 */
export function databaseUnavailableCause (err: unknown): string | undefined {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e != null && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : ''
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|08\w{3}|57P0[1-3]|3D000|28000|28P01|53300)$/.test(code)) return code
    const message = typeof e.message === 'string' ? e.message : ''
    if (/timeout exceeded when trying to connect/i.test(message)) return 'CONNECT_TIMEOUT'
    if (/Connection terminated/i.test(message)) return 'CONNECTION_TERMINATED'
    if (/connection is closed|Client was closed|PGlite is closed/i.test(message)) return 'CONNECTION_CLOSED'
  }
  return undefined
}

export const isDatabaseUnavailable = (err: unknown): boolean => databaseUnavailableCause(err) !== undefined

/**
 * Errors Fastify answers before routing (a URL that cannot be decoded, say): Fastify's
 * `frameworkErrors` option, so they are problems with a request id too.
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id)
  const detail = err.code === 'FST_ERR_BAD_URL' ? 'The URL cannot be decoded' : err.message
  sendProblem(request, reply, clientErrorCode(err.statusCode) ?? 'BAD_REQUEST', detail)
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, code: ErrorCode, detail: string, errors?: FieldError[]): FastifyReply {
  // A hostile URL or value must not make the answer huge: both are cut, with a mark.
  const cut = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text)
  const problem = buildProblem(code, cut(detail), { instance: cut(request.url.split('?')[0] ?? '/'), requestId: request.id }, errors)
  return reply.code(problem.status).type('application/problem+json').send(problem)
}

export default fp(async (app) => {
  // Floods of 503s are counted, not logged one by one: under overload a line per request adds to
  // the load being shed, and during an outage it buries the one line that matters.
  const counted = new Map<string, Record<string, number>>()
  let firstErr: unknown
  app.decorate('countUnavailable', (code: string, cause: string, err?: unknown) => {
    const causes = counted.get(code) ?? {}
    causes[cause] = (causes[cause] ?? 0) + 1
    counted.set(code, causes)
    firstErr ??= err
  })
  const flush = () => {
    if (counted.size === 0) return
    app.log.warn({ unavailable: Object.fromEntries(counted), ...(firstErr !== undefined ? { err: firstErr } : {}) }, 'requests answered 503 in the last second')
    counted.clear()
    firstErr = undefined
  }
  const report = setInterval(flush, 1000).unref()
  app.addHook('onClose', async () => { clearInterval(report); flush() })

  // A router of our own, fed every route, tells 405 (path known, method not) from 404.
  const known = FindMyWay<HTTPVersion.V1>()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' && known.hasRoute('HEAD', route.url)) continue
      known.on(method as any, route.url, () => {})
    }
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const allowed = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => known.find(m as any, path) !== null)
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '))
      return sendProblem(request, reply, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`)
    }
    return sendProblem(request, reply, 'NOT_FOUND', `No route ${request.method} ${path}`)
  })

  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers !== undefined) reply.headers(err.headers)
      if (err.code === 'DATABASE_UNAVAILABLE') {
        // However it was raised (a route, readiness), an outage says when to try again.
        if (!reply.hasHeader('retry-after')) reply.header('retry-after', DATABASE_RETRY_AFTER_S)
        app.countUnavailable(err.code, databaseUnavailableCause(err.cause) ?? 'DATABASE_CLOSED', err)
      }
      // OVERLOADED is counted where it is raised (the protection plugin), with its reason.
      else if (err.statusCode >= 500 && err.code !== 'OVERLOADED') request.log.error({ err }, 'request failed')
      return sendProblem(request, reply, err.code, err.message, err.errors)
    }
    const fe = err as FastifyError
    if (fe.validation !== undefined) {
      const all = fieldErrors(fe.validationContext ?? 'body', fe.validation as any)
      // A hostile body can fail in a million places: the answer names the first ones only.
      const errors = all.slice(0, MAX_FIELD_ERRORS)
      const more = all.length > errors.length ? ` (first ${errors.length} of ${all.length} shown)` : ''
      const listed = errors.slice(0, 10).map((e) => `${e.path} ${e.message}`).join('; ')
      const detail = `${all.length} field${all.length === 1 ? '' : 's'} failed validation${more}: ${listed}${errors.length > 10 ? '; …' : ''}`
      return sendProblem(request, reply, 'VALIDATION_FAILED', detail.slice(0, 2000), errors)
    }
    const mapped = fe.code !== undefined ? FASTIFY_CODES[fe.code] : undefined
    if (mapped !== undefined) return sendProblem(request, reply, mapped, fe.message)
    if (err instanceof SyntaxError) return sendProblem(request, reply, 'MALFORMED_BODY', 'The request body is not valid JSON')
    const byStatus = clientErrorCode(fe.statusCode)
    if (byStatus !== undefined) return sendProblem(request, reply, byStatus, fe.message)
    if (isDatabaseUnavailable(err) || (request.server.hasDecorator('dbIsOpen') && !request.server.dbIsOpen())) {
      app.countUnavailable('DATABASE_UNAVAILABLE', databaseUnavailableCause(err) ?? 'DATABASE_CLOSED', err)
      reply.header('retry-after', DATABASE_RETRY_AFTER_S)
      return sendProblem(request, reply, 'DATABASE_UNAVAILABLE', 'The database cannot be reached; retry shortly')
    }
    request.log.error({ err }, 'request failed')
    return sendProblem(request, reply, 'INTERNAL', 'An internal error occurred; quote the requestId when reporting it')
  })
}, { name: 'problem' })
