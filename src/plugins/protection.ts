// What keeps shinsa standing in an authorization path: load shedding (event-loop delay through
// @fastify/under-pressure, database queue depth through the pool) answering 503 OVERLOADED with
// Retry-After; the rate limits auth.ts charges (rate-limits.ts); security headers
// (@fastify/helmet); CORS only for configured origins.
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import underPressure from '@fastify/under-pressure'
import { AppError } from '../errors.js'
import { registerRateLimits } from './rate-limits.js'

const RETRY_AFTER_S = 2
const SAMPLE_MS = 500
// Liveness and readiness must answer under load: they are how an orchestrator sees it.
const UNSHED = /^\/(healthz|readyz)(\?|$)/

export default fp(async (app) => {
  const config = app.config
  // Shed requests are counted (a summary a second), not logged one by one: see the problem plugin.
  const overloaded = (why: string): AppError => {
    app.countUnavailable('OVERLOADED', why)
    return new AppError('OVERLOADED', `${why}; retry in ${RETRY_AFTER_S} s`, { headers: { 'retry-after': String(RETRY_AFTER_S) } })
  }
  if (config.maxEventLoopDelayMs > 0) {
    // Start-up (compiling every schema, opening the database) blocks the loop once, before
    // anyone could be served; the monitor's first samples after it would read as an overload.
    // Until two samples have passed since the app was ready, delay alone sheds nothing.
    let steadyFrom = Number.POSITIVE_INFINITY
    app.addHook('onReady', async () => { steadyFrom = Date.now() + 2 * SAMPLE_MS })
    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      sampleInterval: SAMPLE_MS,
      retryAfter: RETRY_AFTER_S,
      pressureHandler: async (request) => {
        if (UNSHED.test(request.url) || Date.now() < steadyFrom) return
        throw overloaded('The service is overloaded (event-loop delay)')
      },
    })
  }
  if (config.maxDbWaiting > 0) {
    app.addHook('onRequest', async (request) => {
      if (!UNSHED.test(request.url) && app.dbWaiting() > config.maxDbWaiting) throw overloaded('The database is behind (connection queue full)')
    })
  }
  await registerRateLimits(app)
  // JSON APIs need little of helmet; its CSP matters for /docs (Swagger UI), which needs inline styles and data: images.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], scriptSrc: ["'self'"] },
    },
  })
  if (config.corsOrigins.length > 0) await app.register(cors, { origin: [...config.corsOrigins], maxAge: 600 })
}, { name: 'protection', dependencies: ['db', 'problem'] })
