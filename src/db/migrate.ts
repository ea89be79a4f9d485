// Schema migrations (migrations/NNNN_*.ts) through Kysely's Migrator, which takes a
// PostgreSQL advisory lock so several instances starting together migrate once.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely'

// src/db → ../../migrations, the same from the sources (tsx) and from dist/src/db.
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url))

const provider = () => new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR })

export function migrator (db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: provider() })
}

function unwrap (result: MigrationResultSet): MigrationResultSet {
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')
    // No failed migration means the migrator could not even start: the database is unreachable, say.
    throw new Error(failed !== undefined ? `migration ${failed.migrationName} failed` : 'could not run migrations', { cause: result.error })
  }
  return result
}

export async function migrateToLatest (db: Kysely<any>): Promise<MigrationResultSet> {
  return unwrap(await migrator(db).migrateToLatest())
}

export async function migrateDown (db: Kysely<any>): Promise<MigrationResultSet> {
  return unwrap(await migrator(db).migrateDown())
}

/** Names of the migrations this build ships, in order (read from disk, not the database). */
export async function knownMigrations (): Promise<string[]> {
  return Object.keys(await provider().getMigrations()).sort()
}

/** Migrations this build ships that the database has not run (empty when current). */
export async function pendingMigrations (db: Kysely<any>, known: string[]): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db)
  if (exists.rows[0]?.t == null) return known
  const done = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
  const ran = new Set(done.rows.map((r) => r.name))
  return known.filter((n) => !ran.has(n))
}
