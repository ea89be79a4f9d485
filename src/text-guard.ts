// Text PostgreSQL cannot store — NUL (U+0000) — and unpaired UTF-16 surrogates (which PGlite
// refuses and PostgreSQL silently replaces) are refused at the edge with 400, naming the field,
// instead of failing deep in a query as a 500. JSON bodies, query strings and path parameters.
import type { FastifyRequest } from 'fastify'
import { AppError } from './errors.js'
import { refuseCardNumbers } from './routes/v1/card-number-guard.js'

// A NUL, or a high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function find (value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null
  if (depth > 64 || value === null || typeof value !== 'object') return null
  // A streamed upload's body (or a Buffer) is read by its route, not here.
  if (Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = find(value[i], `${path}[${i}]`, depth + 1)
      if (hit !== null) return hit
    }
    return null
  }
  for (const [key, child] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return `${path}.${key.replace(UNSTORABLE, '?')}`
    const hit = find(child, `${path}.${key}`, depth + 1)
    if (hit !== null) return hit
  }
  return null
}

export async function refuseUnstorableText (request: FastifyRequest): Promise<void> {
  // A query string is only read where the route declares one; elsewhere it is ignored.
  const schema = request.routeOptions.schema
  const query = schema?.querystring !== undefined ? find(request.query, 'query', 0) : null
  const path = find(request.body, 'body', 0) ?? query ?? find(request.params, 'path', 0)
  if (path === null) return
  throw new AppError('VALIDATION_FAILED', `${path} holds a NUL character or an unpaired surrogate`, {
    errors: [{ path, message: 'must not contain NUL characters or unpaired UTF-16 surrogates' }],
  })
}

/**
 * PCI DSS on every JSON body, operator routes included: a full card number is never stored.
 * A streamed CSV upload is guarded field by field by its reader (csv/read.ts), line by line.
 */
export async function refuseCardNumbersAnywhere (request: FastifyRequest): Promise<void> {
  const body = request.body
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || typeof (body as { pipe?: unknown }).pipe === 'function') return
  await refuseCardNumbers(request)
}
