// Idempotency-Key on every POST that creates something (Stripe's, and the IETF httpapi draft's,
// header): the first call's answer is stored with a fingerprint of its request, and a retry
// with the same key answers it again with `idempotent-replayed: true` without running anything.
// A route opts out with `config: { idempotency: false }` (its answer shows a secret once).
import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { stringify } from 'safe-stable-stringify'
import { AppError } from '../errors.js'
import { claimKey, releaseKey, storeAnswer } from '../db/idempotency.js'
import { documentIdempotency, IDEMPOTENCY_HEADER, KEY_TTL_HOURS, REPLAYED_HEADER } from '../schemas/idempotency.js'

declare module 'fastify' {
  interface FastifyContextConfig { idempotency?: boolean }
  interface FastifyRequest { idempotency: { owner: string; key: string; claim: string } | null }
}

const KEY = /^[\x20-\x7E]{1,255}$/
// The answer's headers a replay repeats; the rest (request id, rate limits) belong to the retry.
const KEPT_HEADERS = ['content-type', 'location', 'content-disposition']
// Not the executed call's answer but the moment's: a retry should run again.
const TRANSIENT = new Set([408, 429])
const IN_PROGRESS_RETRY_AFTER_S = 1

function invalid (message: string): AppError {
  return new AppError('VALIDATION_FAILED', `Idempotency-Key ${message}`, { errors: [{ path: `header.${IDEMPOTENCY_HEADER}`, message }] })
}

/** The key sent, unquoted when sent as a structured-field string; null when none. */
export function parseKey (raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null
  if (Array.isArray(raw)) throw invalid('must be sent once')
  const quoted = /^"(.*)"$/.exec(raw)
  const key = quoted === null ? raw : quoted[1]!
  if (!KEY.test(key)) throw invalid('must be 1–255 printable ASCII characters')
  return key
}

/**
 * SHA-256 of the method, the path with its query and the body (keys sorted). A streamed upload
 * (CSV) is not read for this: its content type, encoding and declared length stand for it, so
 * a 1 GiB import is never buffered; a different file of the same length under the same key is
 * not told apart.
 */
export function fingerprint (request: FastifyRequest): Buffer {
  const body = request.body instanceof Readable
    ? ['stream', request.headers['content-type'], request.headers['content-encoding'], request.headers['content-length'] ?? 'chunked'].join(' ')
    : stringify(request.body ?? null) ?? ''
  return createHash('sha256').update(`${request.method}\n${request.url}\n`).update(body).digest()
}

function keptHeaders (reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name)
    if (value !== undefined) out[name] = String(value)
  }
  return out
}

export default fp(async (app) => {
  const ttlMs = KEY_TTL_HOURS * 3_600_000
  app.decorateRequest('idempotency', null)

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (!methods.includes('POST') || !route.url.startsWith('/v1/') || route.config?.idempotency === false) return
    route.config = { ...route.config, idempotency: true }
    route.schema = documentIdempotency((route.schema ?? {}) as Parameters<typeof documentIdempotency>[0], route.url) as typeof route.schema
  })

  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotency !== true) return
    const key = parseKey(request.headers[IDEMPOTENCY_HEADER])
    const p = request.principal
    if (key === null || p === null) return
    const owner = p.kind === 'operator' ? 'operator' : p.merchantId
    const claim = randomUUID()
    const now = Date.now()
    const state = await claimKey(app.db, {
      owner, key, claim, fingerprint: fingerprint(request),
      // As long as the call may take to arrive: an upload has far longer than a call.
      lockedUntil: new Date(now + (request.routeOptions.config.upload === true ? app.config.uploadTimeoutSeconds * 1000 : app.config.requestTimeoutMs)),
      expiresAt: new Date(now + ttlMs),
    })
    if (state.state === 'claimed') {
      request.idempotency = { owner, key, claim }
      return
    }
    if (state.state === 'mismatch') {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was used with a different request; use a new key for a new request', {
        errors: [{ path: `header.${IDEMPOTENCY_HEADER}`, message: 'was used with a different request' }],
      })
    }
    if (state.state === 'in_flight') {
      throw new AppError('IDEMPOTENCY_KEY_IN_PROGRESS', 'Idempotency-Key is in use by a call still running; retry after Retry-After', {
        errors: [{ path: `header.${IDEMPOTENCY_HEADER}`, message: 'is in use by a call still running' }],
        headers: { 'retry-after': String(IN_PROGRESS_RETRY_AFTER_S) },
      })
    }
    return reply.code(state.answer.status).headers(state.answer.headers).header(REPLAYED_HEADER, 'true').send(state.answer.body)
  })

  // The answer is stored before it is sent, so a retry after it arrived always finds it.
  app.addHook('onSend', async (request, reply, payload) => {
    const held = request.idempotency
    if (held === null) return payload
    request.idempotency = null
    const status = reply.statusCode
    const storable = status < 500 && !TRANSIENT.has(status) && (typeof payload === 'string' || Buffer.isBuffer(payload))
    try {
      if (storable) await storeAnswer(app.db, held.owner, held.key, held.claim, { status, headers: keptHeaders(reply), body: String(payload) })
      else await releaseKey(app.db, held.owner, held.key, held.claim)
    } catch (err) {
      // The key stays claimed until its lease ends; a retry meanwhile is told to wait.
      request.log.warn({ err }, 'idempotency: could not store the answer')
    }
    return payload
  })
}, { name: 'idempotency', dependencies: ['db', 'auth'] })
