// The run's own database: a fresh PostgreSQL database on DATABASE_URL's server (dropped at the
// end), or, without DATABASE_URL, a fresh PGlite directory (removed at the end).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { onCleanup } from './cleanup.js'

export type BenchDatabase =
  | { kind: 'postgres'; url: string; name: string }
  | { kind: 'pglite'; dataDir: string }

/** The environment that points the shinsa server at this database. */
export function databaseEnv (database: BenchDatabase): Record<string, string> {
  return database.kind === 'postgres' ? { DATABASE_URL: database.url } : { SHINSA_DATA_DIR: database.dataDir }
}

/** For printing: the database without credentials. */
export function describeDatabase (database: BenchDatabase): string {
  if (database.kind === 'pglite') return `PGlite in ${database.dataDir}`
  const url = new URL(database.url)
  return `PostgreSQL ${url.hostname}:${url.port || '5432'}/${database.name}`
}

async function withClient<T> (url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, statement_timeout: 30_000 })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function createPostgresDatabase (serverUrl: string): Promise<BenchDatabase> {
  // A timestamp keeps names sortable (a leftover from a killed run is easy to spot); the random
  // suffix keeps two runs started in the same second apart.
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
  const name = `shinsa_bench_${stamp}_${randomBytes(2).toString('hex')}`
  await withClient(serverUrl, (c) => c.query(`create database ${name}`))
  onCleanup(`drop database ${name}`, () =>
    // FORCE ends any connection still open (a child killed mid-query leaves none for long, but
    // the drop must not wait on it).
    withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { kind: 'postgres', url: url.toString(), name }
}

/** Makes a fresh temp directory and registers its removal. */
export async function tempDir (prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  onCleanup(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }))
  return dir
}

export async function createBenchDatabase (serverUrl: string | undefined): Promise<BenchDatabase> {
  if (serverUrl !== undefined && serverUrl !== '') return createPostgresDatabase(serverUrl)
  return { kind: 'pglite', dataDir: await tempDir('shinsa-bench-pglite-') }
}
