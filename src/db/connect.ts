// One Kysely instance over Kysely's own PostgresDialect: a pg.Pool on a PostgreSQL server when
// DATABASE_URL is set, otherwise embedded PGlite through PGlite's node-postgres adapter.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { from as copyFrom } from 'pg-copy-streams'
import pg from 'pg'
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import type { Config } from '../config.js'
import type { DB } from './types.js'

export type DatabaseKind = 'postgres' | 'pglite'

/** The contrib extensions the migrations create: trigram similarity, and btree columns in a GIN index. */
export const PGLITE_EXTENSIONS = { pg_trgm, btree_gin }

/**
 * Every connection compares trigrams from this similarity up: the signals' own thresholds
 * (0.6 and above) are applied on the rows found, and a lower bar only drags more rows through.
 */
const SESSION_SETUP = CompiledQuery.raw("set pg_trgm.similarity_threshold = 0.5")

/** A transaction on one connection that can also bulk-load CSV with COPY … FROM. */
export type CopySession = {
  db: Kysely<DB>
  /** Runs `copy <target> from …` with `csv` as the data; `target` is `table (col, …)`. */
  copyCsv: (target: string, csv: string) => Promise<void>
}

export type Database = {
  db: Kysely<DB>
  kind: DatabaseKind
  /** fn's work commits as one transaction, or rolls back if it throws. */
  copySession: <T>(fn: (session: CopySession) => Promise<T>) => Promise<T>
  close: () => Promise<void>
  /** False once the embedded database is closed: its errors then say nothing useful. */
  isOpen: () => boolean
  /** Queries waiting for a connection: how far behind the database is. */
  waiting: () => number
}

type ConnectOptions = {
  /** An already-open PGlite (tests load one from a migrated template); closed with the database. */
  pglite?: PGlite
  /** Where pool errors on idle connections are reported (a server restart, say). */
  onPoolError?: (err: Error) => void
}

// DATE columns as 'YYYY-MM-DD' strings: node-postgres would make a Date at local midnight,
// which shifts the day in any time zone west of UTC.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

/** A transaction on one pooled PostgreSQL connection, with COPY through pg-copy-streams. */
async function pgCopySession<T> (pool: pg.Pool, fn: (s: CopySession) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  // Kysely over this one client: release is a no-op until the session ends.
  // Kysely calls only query() and release() on a pooled client.
  const single = { connect: async () => ({ query: client.query.bind(client), release: () => {} }), end: async () => {} }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: single as unknown as pg.Pool }) })
  let failed = true
  try {
    await client.query('begin')
    const result = await fn({
      db,
      copyCsv: async (target, csv) => {
        await pipeline(Readable.from([csv]), client.query(copyFrom(`copy ${target} from stdin with (format csv)`)))
      },
    })
    await client.query('commit')
    failed = false
    return result
  } finally {
    if (failed) await client.query('rollback').catch(() => {})
    client.release(failed)
  }
}

/**
 * PGlite takes no lock of its own: a second process on the same directory would silently lose
 * one side's writes. A lock file holding the owner's pid refuses that; a dead owner's is taken over.
 */
async function lockDataDir (dataDir: string): Promise<() => Promise<void>> {
  const lock = path.join(dataDir, '.shinsa.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' })
      return async () => { await rm(lock, { force: true }) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number(await readFile(lock, 'utf8').catch(() => ''))
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(`SHINSA_DATA_DIR ${dataDir} is in use by process ${owner}: the embedded database allows one process`)
      }
      await rm(lock, { force: true })
    }
  }
  throw new Error(`cannot lock SHINSA_DATA_DIR ${dataDir}`)
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const unlockers = new WeakMap<PGlite, () => Promise<void>>()

export async function openPGlite (dataDir: string): Promise<PGlite> {
  if (dataDir.startsWith('memory://')) return PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS })
  await mkdir(dataDir, { recursive: true })
  const unlock = await lockDataDir(dataDir)
  try {
    const pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS })
    unlockers.set(pglite, unlock)
    return pglite
  } catch (err) {
    await unlock()
    throw err
  }
}

/** Closes a PGlite (if still open) and releases its directory. */
export async function closePGlite (pglite: PGlite): Promise<void> {
  if (!pglite.closed) await pglite.close()
  await unlockers.get(pglite)?.()
}

export async function connect (config: Config, opts: ConnectOptions = {}): Promise<Database> {
  if (config.databaseUrl !== undefined && opts.pglite === undefined) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.dbPoolMax,
      connectionTimeoutMillis: config.dbTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: 'shinsa',
      // A runaway statement is cancelled by the server instead of holding a connection.
      ...(config.statementTimeoutMs > 0 ? { statement_timeout: config.statementTimeoutMs } : {}),
    })
    // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the process.
    // So does a client in use (the pool listens only to idle ones): its query fails on its own —
    // a 503 — and the event must not become an uncaught exception. An idle client's error reaches
    // both listeners: it is reported once.
    const reported = new WeakSet<Error>()
    const report = (err: Error) => {
      if (reported.has(err)) return
      reported.add(err)
      opts.onPoolError?.(err)
    }
    pool.on('error', report)
    pool.on('connect', (client) => { client.on('error', report) })
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool, onCreateConnection: async (c) => { await c.executeQuery(SESSION_SETUP) } }) })
    return { db, kind: 'postgres', close: () => db.destroy(), isOpen: () => true, waiting: () => pool.waitingCount, copySession: (fn) => pgCopySession(pool, fn) }
  }

  const pglite = opts.pglite ?? await openPGlite(config.dataDir)
  // PGlite is one connection: a pool of one serializes callers, so a transaction never sees
  // another caller's statements. Idle clients are kept, the adapter reconnects nothing.
  // A caller that queries app.db while holding the one connection in a transaction would wait
  // forever: the timeout turns that bug into an error. Inside a transaction, use its `trx`.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0, connectionTimeoutMillis: config.dbTimeoutMs })
  pool.on('error', (err) => opts.onPoolError?.(err))
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool, onCreateConnection: async (c) => { await c.executeQuery(SESSION_SETUP) } }) })
  // PGlite is one backend session: inside a transaction holding the pool's only connection, a
  // statement sent to PGlite directly runs in that same transaction. COPY reads '/dev/blob'
  // (pg-copy-streams' protocol path crashes PGlite).
  const copySession = <T>(fn: (s: CopySession) => Promise<T>) => db.transaction().execute((trx) => fn({
    db: trx,
    copyCsv: async (target, csv) => {
      await pglite.query(`copy ${target} from '/dev/blob' with (format csv)`, [], { blob: new Blob([csv]) })
    },
  }))
  return {
    db,
    copySession,
    kind: 'pglite',
    isOpen: () => !pglite.closed,
    waiting: () => pool.waitingCount,
    close: async () => {
      await db.destroy()
      await closePGlite(pglite)
    },
  }
}
