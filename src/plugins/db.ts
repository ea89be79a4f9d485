// The database as a plugin: connects (PostgreSQL or embedded PGlite), migrates at start-up
// unless told not to, and closes with the app.
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { PGlite } from '@electric-sql/pglite'
import type { Config } from '../config.js'
import { connect, type Database, type DatabaseKind } from '../db/connect.js'
import { knownMigrations, migrateToLatest } from '../db/migrate.js'
import type { DB } from '../db/types.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>
    dbKind: DatabaseKind
    dbIsOpen: () => boolean
    /** Queries waiting for a pooled connection. */
    dbWaiting: () => number
    /** A transaction that can also bulk-load with COPY (imports). */
    copySession: Database['copySession']
    /** Migration names this build ships, for readiness. */
    migrations: readonly string[]
  }
}

export default fp(async (app, opts: { config: Config; pglite?: PGlite }) => {
  const database = await connect(opts.config, {
    pglite: opts.pglite,
    onPoolError: (err) => app.log.warn({ err }, 'database connection lost'),
  })
  app.addHook('onClose', () => database.close())
  if (opts.config.migrateOnStart) {
    const { results } = await migrateToLatest(database.db)
    const applied = (results ?? []).map((r) => r.migrationName)
    if (applied.length > 0) app.log.info({ applied }, 'migrations applied')
  }
  app.decorate('db', database.db)
  app.decorate('dbKind', database.kind)
  app.decorate('dbIsOpen', database.isOpen)
  app.decorate('dbWaiting', database.waiting)
  app.decorate('copySession', database.copySession)
  app.decorate('migrations', Object.freeze(await knownMigrations()))
}, { name: 'db' })
