// One Kysely instance over Kysely's own PostgresDialect: a pg.Pool on a PostgreSQL server when
// DATABASE_URL is set, otherwise embedded PGlite through PGlite's node-postgres adapter.
import { mkdir } from 'node:fs/promises'
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import type { Config } from '../config.js'
import type { DB } from './types.js'

export type DatabaseKind = 'postgres' | 'pglite'

export type Database = {
  db: Kysely<DB>
  kind: DatabaseKind
  close: () => Promise<void>
  /** False once the embedded database is closed: its errors then say nothing useful. */
  isOpen: () => boolean
}

type ConnectOptions = {
  /** An already-open PGlite (tests load one from a migrated template); closed with the database. */
  pglite?: PGlite
  /** Where pool errors on idle connections are reported (a server restart, say). */
  onPoolError?: (err: Error) => void
}

export async function openPGlite (dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true })
  return PGlite.create(dataDir, { extensions: { pg_trgm } })
}

export async function connect (config: Config, opts: ConnectOptions = {}): Promise<Database> {
  if (config.databaseUrl !== undefined && opts.pglite === undefined) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.dbPoolMax,
      connectionTimeoutMillis: config.dbTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: 'shinsa',
    })
    // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the process.
    pool.on('error', (err) => opts.onPoolError?.(err))
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy(), isOpen: () => true }
  }

  const pglite = opts.pglite ?? await openPGlite(config.dataDir)
  // PGlite is one connection: a pool of one serializes callers, so a transaction never sees
  // another caller's statements. Idle clients are kept, the adapter reconnects nothing.
  // A caller that queries app.db while holding the one connection in a transaction would wait
  // forever: the timeout turns that bug into an error. Inside a transaction, use its `trx`.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0, connectionTimeoutMillis: config.dbTimeoutMs })
  pool.on('error', (err) => opts.onPoolError?.(err))
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    kind: 'pglite',
    isOpen: () => !pglite.closed,
    close: async () => {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
    },
  }
}
