// Who is calling: the operator (SHINSA_ADMIN_TOKEN) or a merchant's API key with scopes.
// Routes are registered inside contexts guarded by `authenticate(...)` (see app.ts), so a route
// cannot forget to check; merchant routes must declare the scope they need.
import fp from 'fastify-plugin'
import pLimit, { type LimitFunction } from 'p-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { AppError } from '../errors.js'
import { findApiKeyByHash } from '../db/api-keys.js'
import { hashKey, secretsEqual } from '../domain/api-key.js'
import type { Scope } from '../domain/scopes.js'
import { KeyCache } from './key-cache.js'

export type Principal =
  | { kind: 'operator' }
  | { kind: 'merchant'; merchantId: string; keyId: string; scopes: ReadonlySet<string> }

declare module 'fastify' {
  interface FastifyRequest { principal: Principal | null }
  interface FastifyInstance { keyCache: KeyCache; unseenKeyLookups: LimitFunction }
  interface FastifyContextConfig { scope?: Scope }
}

/**
 * Lookups of keys this instance has never seen (neither cached nor remembered as a miss): at most
 * UNSEEN_LOOKUPS_IN_FLIGHT on the database at once and UNSEEN_LOOKUPS_WAITING queued, beyond which
 * such a request is 429 with Retry-After: 1 at once. A flood of made-up keys spread over many
 * addresses (each under its own failed-auth limit) then queues behind itself instead of in front
 * of known callers' queries in the connection pool; known keys never wait for it.
 */
export const UNSEEN_LOOKUPS_IN_FLIGHT = 2
export const UNSEEN_LOOKUPS_WAITING = 200

const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer realm="shinsa"' }

function unauthorized (detail: string): AppError {
  return new AppError('UNAUTHORIZED', detail, { headers: WWW_AUTHENTICATE })
}

function bearer (request: FastifyRequest): string {
  const header = request.headers.authorization
  if (header === undefined || header === '') throw unauthorized('Send Authorization: Bearer <API key>')
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match === null) throw unauthorized('The Authorization header must be "Bearer <API key>"')
  return match[1] as string
}

async function resolve (request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
  const { keyCache, rateLimits, config } = request.server
  // Every failure is charged to the caller's address first: over its limit, the answer is 429.
  const fail = async (detail: string): Promise<never> => {
    await rateLimits.address(request, reply)
    throw unauthorized(detail)
  }
  let token: string
  try {
    token = bearer(request)
  } catch (err) {
    await rateLimits.address(request, reply)
    throw err
  }
  if (config.adminToken !== undefined && secretsEqual(token, config.adminToken)) return { kind: 'operator' }
  const hash = hashKey(token)
  const cached = keyCache.get(hash)
  let key = cached?.fresh === true ? cached.row : undefined
  if (key === undefined) {
    if (keyCache.missed(hash)) return fail('The API key is not valid')
    // A key this instance has not seen valid is charged before the lookup, so an address over
    // its limit costs no database work; a known key (stale in the cache) is looked up free.
    const lookup = () => findApiKeyByHash(request.server.db, hash)
    if (cached === undefined) {
      await rateLimits.address(request, reply)
      const gate = request.server.unseenKeyLookups
      if (gate.pendingCount >= UNSEEN_LOOKUPS_WAITING) {
        throw new AppError('RATE_LIMITED', 'Too many unrecognised API keys are being checked at once; retry in 1 s', { headers: { 'retry-after': '1' } })
      }
      key = await gate(lookup)
    } else {
      // A stale entry of a real key: revalidated at once, never behind the unseen ones.
      key = await lookup()
    }
    if (key === undefined) {
      keyCache.miss(hash)
      throw unauthorized('The API key is not valid')
    }
    keyCache.set(hash, key)
  }
  if (key.revoked_at !== null) return fail('The API key has been revoked')
  if (key.expires_at !== null && key.expires_at.getTime() <= Date.now()) return fail('The API key has expired')
  return { kind: 'merchant', merchantId: key.merchant_id, keyId: key.id, scopes: new Set(key.scopes) }
}

export type Audience = 'operator' | 'merchant' | 'any'

/**
 * onRequest hook for a context of routes: 'operator' admits only the operator credential,
 * 'merchant' only API keys holding the route's `config.scope`, 'any' either (the handler then
 * limits a merchant to its own resources).
 */
export function authenticate (audience: Audience): onRequestAsyncHookHandler {
  return async function (request, reply) {
    let principal: Principal
    try {
      principal = await resolve(request, reply)
    } catch (err) {
      // A failed authentication (401, or 429 for its address) is answered late: see rate-limits.ts.
      if (err instanceof AppError && (err.code === 'UNAUTHORIZED' || err.code === 'RATE_LIMITED')) await request.server.rateLimits.holdFailure()
      throw err
    }
    request.principal = principal
    await request.server.rateLimits.principal(request, reply)
    if (audience === 'operator' && principal.kind !== 'operator') {
      throw new AppError('FORBIDDEN', 'This operation needs the operator credential')
    }
    if (audience === 'merchant') {
      if (principal.kind !== 'merchant') throw new AppError('FORBIDDEN', 'This operation needs a merchant API key')
      const scope = request.routeOptions.config.scope
      if (scope === undefined || !principal.scopes.has(scope)) {
        throw new AppError('FORBIDDEN', `This API key lacks the scope ${scope ?? '(none declared)'}`)
      }
    }
  }
}

/** The merchant id a request may act for: the operator any, a key only its own. */
export function canActFor (request: FastifyRequest, merchantId: string): boolean {
  const p = request.principal
  return p !== null && (p.kind === 'operator' || p.merchantId === merchantId)
}

/** Guards every route registered in this (encapsulated) context for the given audience. */
export function guard (context: FastifyInstance, audience: Audience): void {
  if (audience === 'merchant') {
    // Fail closed at start-up: a merchant route without a declared scope is a bug, not an open door.
    context.addHook('onRoute', (route) => {
      if (route.config?.scope === undefined) throw new Error(`merchant route ${String(route.method)} ${route.url} declares no scope`)
    })
  }
  context.addHook('onRequest', authenticate(audience))
}

export default fp(async (app) => {
  app.decorateRequest('principal', null)
  app.decorate('keyCache', new KeyCache(app.config.authCacheMs, app.config.authMissCacheMs))
  app.decorate('unseenKeyLookups', pLimit(UNSEEN_LOOKUPS_IN_FLIGHT))
}, { name: 'auth', dependencies: ['db', 'protection'] })
