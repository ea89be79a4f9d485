// Liveness (the process answers) and readiness (the database answers, the schema is current).
import fp from 'fastify-plugin'
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AppError } from '../errors.js'
import { pendingMigrations } from '../db/migrate.js'
import { problemResponses } from '../schemas/problem.js'
import { StringEnum } from '../schemas/common.js'
import { PUBLIC } from '../schemas/security.js'
import { isDatabaseUnavailable } from './problem.js'

const Health = Type.Object({ status: Type.Literal('ok') }, { $id: 'Health', additionalProperties: false })
const Readiness = Type.Object({
  status: Type.Literal('ready'),
  database: StringEnum(['postgres', 'pglite']),
  migrations: Type.Integer({ description: 'How many migrations the database has run' }),
}, { $id: 'Readiness', additionalProperties: false })

function withTimeout<T> (work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('readiness check timed out'), { code: 'ETIMEDOUT' })), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

const routes: FastifyPluginAsyncTypebox<{ timeoutMs: number }> = async (app, opts) => {
  app.addSchema(Health)
  app.addSchema(Readiness)

  app.get('/healthz', {
    schema: {
      operationId: 'getHealth',
      summary: 'Liveness: the process is up',
      tags: ['health'],
      security: PUBLIC,
      response: { 200: Type.Ref(Health, { description: 'The process is up' }), ...problemResponses() },
    },
    logLevel: 'warn',
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    schema: {
      operationId: 'getReadiness',
      summary: 'Readiness: the database is reachable and its migrations are current',
      tags: ['health'],
      security: PUBLIC,
      response: { 200: Type.Ref(Readiness, { description: 'Ready to serve' }), ...problemResponses(503) },
    },
    logLevel: 'warn',
  }, async () => {
    // A closed embedded database fails in ways that do not look like an outage: ask it nothing.
    if (!app.dbIsOpen()) throw new AppError('DATABASE_UNAVAILABLE', 'The embedded database is closed')
    let pending: string[]
    try {
      pending = await withTimeout(pendingMigrations(app.db, [...app.migrations]), opts.timeoutMs)
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw new AppError('DATABASE_UNAVAILABLE', 'The database cannot be reached', { cause: err })
      throw err
    }
    if (pending.length > 0) throw new AppError('NOT_READY', `Migrations not applied: ${pending.join(', ')}`)
    // While requests are being shed (a start-up that blocked the loop, an overload), say so:
    // a load balancer should send traffic elsewhere rather than collect 503s.
    if (app.hasDecorator('isUnderPressure') && (app as unknown as { isUnderPressure: () => boolean }).isUnderPressure()) {
      throw new AppError('NOT_READY', 'Shedding load (event-loop delay); ready again when it passes', { headers: { 'retry-after': '1' } })
    }
    return { status: 'ready' as const, database: app.dbKind, migrations: app.migrations.length }
  })
}

export default fp(routes, { name: 'health', dependencies: ['db', 'problem'] })
