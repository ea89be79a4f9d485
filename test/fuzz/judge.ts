// What an answer to a hostile request must be: never a 5xx; a 2xx where the input happened to be
// acceptable; anything else an RFC 9457 problem document whose status, code (from src/errors.ts),
// type, title and requestId agree with the response.
import type { LightMyRequestResponse } from 'fastify'
import { ERRORS, problemType, type ErrorCode } from '../../src/errors.js'

export type Verdict = { violation?: string; code?: string }

export function judge (method: string, path: string, res: LightMyRequestResponse): Verdict {
  const status = res.statusCode
  if (status >= 500) return { violation: `${status} answer` }
  if (status < 300) return {}
  // Swagger UI's own redirects are the only 3xx there is.
  if (status < 400) return path.startsWith('/docs') && res.headers.location !== undefined ? {} : { violation: `${status} redirect outside /docs` }
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return { violation: `${status} without application/problem+json` }
  const requestId = res.headers['x-request-id']
  if (typeof requestId !== 'string' || requestId === '') return { violation: `${status} without x-request-id` }
  if (method === 'HEAD') return {}
  let body: Record<string, unknown>
  try {
    body = JSON.parse(res.body) as Record<string, unknown>
  } catch {
    return { violation: `${status} body is not JSON` }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { violation: `${status} body is not an object` }
  const code = body.code
  const seen = `${String(code)} ${status}`
  if (body.status !== status) return { code: seen, violation: `problem status ${String(body.status)} ≠ HTTP ${status}` }
  if (typeof code !== 'string' || !(code in ERRORS)) return { code: seen, violation: `problem code ${JSON.stringify(code)} not in ERRORS` }
  const known = ERRORS[code as ErrorCode]
  if (known.status !== status) return { code: seen, violation: `problem code ${code} is ${known.status} in ERRORS, answered ${status}` }
  if (body.type !== problemType(code as ErrorCode) || body.title !== known.title) return { code: seen, violation: `problem ${code}: type or title not those of ERRORS` }
  if (typeof body.detail !== 'string' || typeof body.instance !== 'string') return { code: seen, violation: `problem ${code}: detail or instance not a string` }
  if (body.requestId !== requestId) return { code: seen, violation: `problem requestId ${JSON.stringify(body.requestId)} ≠ x-request-id ${requestId}` }
  return { code: seen }
}
