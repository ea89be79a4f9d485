// The Idempotency-Key request header and the idempotent-replayed response header as the OpenAPI
// document shows them: added by the idempotency plugin to every operation that takes the key.
import { ERRORS, problemType, type ErrorCode } from '../errors.js'
import { problemResponses } from './problem.js'

export const IDEMPOTENCY_HEADER = 'idempotency-key'
export const REPLAYED_HEADER = 'idempotent-replayed'
export const KEY_TTL_HOURS = 24

const HEADER_SCHEMA = {
  type: 'string',
  description: 'A key of your choosing (a UUID, say), 1–255 printable ASCII characters; a structured-field string ' +
    '("…", as the IETF draft writes it) is the same key unquoted. A retry with the same key and the same request ' +
    `answers the first call's stored answer with \`${REPLAYED_HEADER}: true\` and does nothing else (no second ` +
    'record, no second webhook); the same key with a different request is 422 IDEMPOTENCY_KEY_REUSED; while the ' +
    `first call runs, 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After. Keys are per merchant, kept ${KEY_TTL_HOURS} h. ` +
    'Answers with a 5xx status are not kept (a retry runs again).',
  examples: ['5f0c8a36-2b1e-4c1d-9a7e-3d2f1b0c9e8a'],
}

const REPLAYED = {
  type: 'string',
  enum: ['true'],
  description: 'Present when this is the stored answer of an earlier call (the same Idempotency-Key, or a retry the operation recognises by its body)',
}

const REQUEST_ID = '3f2b8c1e-6d4a-4e9b-9c7f-1a2b3c4d5e6f'

function example (code: ErrorCode, summary: string, detail: string, message: string, instance: string) {
  const { status, title } = ERRORS[code]
  return {
    summary,
    value: {
      type: problemType(code), title, status, detail, instance, code, requestId: REQUEST_ID,
      errors: [{ path: `header.${IDEMPOTENCY_HEADER}`, message }],
    },
  }
}

type Entry = { description?: string; headers?: Record<string, unknown>; content?: Record<string, { examples?: Record<string, unknown> }> }
type RouteSchema = { headers?: unknown; response?: Record<string, unknown> }

/** The problem entry for `status` with one more example (a copy: shared entries stay as they are). */
function withExample (existing: unknown, status: number, name: string, ex: unknown, extra: Partial<Entry> = {}): Entry {
  const entry = (existing ?? problemResponses(status)[status]) as Entry
  const content = entry.content?.['application/problem+json'] ?? {}
  return {
    ...entry,
    ...extra,
    content: { ...entry.content, 'application/problem+json': { ...content, examples: { ...content.examples, [name]: ex } } },
  }
}

/** Adds the header parameter, the replay header on 2xx answers and the key's problems to a route schema. */
export function documentIdempotency (schema: RouteSchema, url: string): RouteSchema {
  const headers = (schema.headers ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown> }
  const response: Record<string, unknown> = {}
  for (const [status, entry] of Object.entries(schema.response ?? {})) {
    const e = entry as Entry
    response[status] = /^2\d\d$/.test(status) ? { ...e, headers: { ...e.headers, [REPLAYED_HEADER]: REPLAYED } } : entry
  }
  response[400] = withExample(response[400], 400, 'idempotencyKeyInvalid',
    example('VALIDATION_FAILED', 'Idempotency-Key が長すぎる（256 文字以上）', 'Idempotency-Key must be 1–255 printable ASCII characters', 'must be 1–255 printable ASCII characters', url))
  response[409] = withExample(response[409], 409, 'idempotencyKeyInProgress',
    example('IDEMPOTENCY_KEY_IN_PROGRESS', '同じ Idempotency-Key の最初の呼び出しがまだ処理中', 'Idempotency-Key is in use by a call still running; retry after Retry-After', 'is in use by a call still running', url), {
      description: [(response[409] as Entry | undefined)?.description, 'the first call with this Idempotency-Key is still running (IDEMPOTENCY_KEY_IN_PROGRESS)']
        .filter((d) => d !== undefined).join('; or ').replace(/^t/, 'T'),
      headers: { 'retry-after': { type: 'string', description: 'Seconds to wait before retrying (IDEMPOTENCY_KEY_IN_PROGRESS)' } },
    })
  response[422] = withExample(response[422], 422, 'idempotencyKeyReused',
    example('IDEMPOTENCY_KEY_REUSED', '同じ Idempotency-Key を別の内容のリクエストに使った', 'Idempotency-Key was used with a different request; use a new key for a new request', 'was used with a different request', url))
  return {
    ...schema,
    headers: { ...headers, type: 'object', properties: { ...headers.properties, [IDEMPOTENCY_HEADER]: HEADER_SCHEMA } },
    response,
  }
}
