// The two rate limits, charged by auth.ts at the point it knows who is calling:
// - per principal (an API key's id, or the operator): SHINSA_RATE_LIMIT_PER_MINUTE, charged once
//   the credential is known good, so a key's count cannot be dodged by spelling its header
//   differently;
// - per client address (request.ip, behind SHINSA_TRUST_PROXY only when configured; IPv6 by /64):
//   SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE, charged for every request that fails authentication and
//   BEFORE the lookup of a key this instance has not seen valid, so once an address is over it
//   a flood of made-up keys costs no database work at all.
// - every failed authentication (401, and the per-address 429) is answered after
//   SHINSA_FAILED_AUTH_DELAY_MS (at most MAX_DELAYED such answers waiting at once; past that they
//   go at once): a client flooding made-up keys, from one address or a thousand, gets one answer
//   a second per connection instead of thousands, so its answers stop costing the instance the
//   CPU that real callers need. A request with a key known valid never waits.
// Each instance counts its own (N instances allow N times a limit: far cheaper than a shared
// counter on the hot path). Counters live in @fastify/rate-limit's bounded LRU stores, one each,
// so a flood of addresses cannot push the keys' counters out.
import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'

/** Throws 429 RATE_LIMITED when over the limit; sets the x-ratelimit-* headers either way. */
export type Charge = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

declare module 'fastify' {
  interface FastifyInstance { rateLimits: { principal: Charge; address: Charge; holdFailure: () => Promise<void> } }
}

const WINDOW_MS = 60_000
const PRINCIPAL_COUNTERS = 10_000
const ADDRESS_COUNTERS = 10_000
/** Failed-authentication answers held back at once (each holds a socket). */
export const MAX_DELAYED = 1_000

export function clientAddress (request: FastifyRequest): string {
  return normalizeIP(request.ip)
}

function principalId (request: FastifyRequest): string {
  const p = request.principal
  return p === null ? '' : p.kind === 'operator' ? 'operator' : `key:${p.keyId}`
}

export async function registerRateLimits (app: FastifyInstance): Promise<void> {
  // No global hook: the plugin's own runs after the auth hooks of a context and sees only headers.
  await app.register(rateLimit, { global: false })
  const delayMs = app.config.failedAuthDelayMs
  let delayed = 0
  /** Waits out the failed-auth delay, unless MAX_DELAYED answers are waiting already. */
  const holdFailure = async (): Promise<void> => {
    if (delayMs === 0 || delayed >= MAX_DELAYED) return
    delayed++
    try { await sleep(delayMs) } finally { delayed-- }
  }
  const charge = (max: number, keyGenerator: (request: FastifyRequest) => string, cache: number, what: string): Charge => {
    if (max === 0) return async () => {}
    const check = app.createRateLimit({ max, timeWindow: WINDOW_MS, keyGenerator, cache } as Parameters<typeof app.createRateLimit>[0])
    return async (request, reply) => {
      const r = await check(request)
      if (r.isAllowed) return
      reply.header('x-ratelimit-limit', r.max)
      reply.header('x-ratelimit-remaining', r.remaining)
      reply.header('x-ratelimit-reset', r.ttlInSeconds)
      if (!r.isExceeded) return
      reply.header('retry-after', r.ttlInSeconds)
      throw new AppError('RATE_LIMITED', `More than ${max} ${what}; retry in ${r.ttlInSeconds} s`,
        { headers: { 'retry-after': String(r.ttlInSeconds) } })
    }
  }
  const config = app.config
  app.decorate('rateLimits', {
    principal: charge(config.rateLimitPerMinute, principalId, PRINCIPAL_COUNTERS, 'requests a minute with this credential'),
    address: charge(config.unauthRateLimitPerMinute, clientAddress, ADDRESS_COUNTERS, 'unauthenticated or failed requests a minute from this address'),
    holdFailure,
  })
}
