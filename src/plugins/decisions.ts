// The decision use cases' dependencies, once per app: the database, whether the trigram index
// can serve the history search, and the rule runtime (compiled versions, per-rule counts written
// every few seconds and on close).
import fp from 'fastify-plugin'
import type { DecisionDeps } from '../decisions/deps.js'
import { RuleRuntime } from '../decisions/rule-runtime.js'

declare module 'fastify' {
  interface FastifyInstance {
    decisions: DecisionDeps
  }
}

const FLUSH_MS = 5_000

export default fp(async (app) => {
  const rules = new RuleRuntime(app.db)
  app.decorate('decisions', { db: app.db, trigramIndex: app.dbKind === 'postgres', rules })
  const flush = () => rules.flush().catch((err: unknown) => app.log.warn({ err }, 'could not write rule counts; kept for the next write'))
  const timer = setInterval(flush, FLUSH_MS)
  timer.unref()
  // preClose: the database is still open.
  app.addHook('preClose', async () => {
    clearInterval(timer)
    await flush()
  })
}, { name: 'decisions', dependencies: ['db'] })
