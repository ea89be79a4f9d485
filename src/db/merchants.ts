// Repository for merchants (加盟店) and their settings.
import { sql, type Kysely } from 'kysely'
import type { DB } from './types.js'

export type MerchantRow = {
  id: string
  name: string
  level_elevated_at: number
  level_high_at: number
  retention_days: number
  publish_requires_second_key: boolean
  created_at: Date
  updated_at: Date
}

const COLUMNS = ['id', 'name', 'level_elevated_at', 'level_high_at', 'retention_days', 'publish_requires_second_key', 'created_at', 'updated_at'] as const

export async function insertMerchant (
  db: Kysely<DB>,
  row: { name: string; level_elevated_at?: number; level_high_at?: number; retention_days?: number; publish_requires_second_key?: boolean }
): Promise<MerchantRow> {
  return db.insertInto('merchants').values(row).returning(COLUMNS).executeTakeFirstOrThrow()
}

/** `lock` takes a row lock, for a read-modify-write inside a transaction. */
export async function findMerchant (db: Kysely<DB>, id: string, opts: { lock?: boolean } = {}): Promise<MerchantRow | undefined> {
  const q = db.selectFrom('merchants').select(COLUMNS).where('id', '=', id)
  return (opts.lock === true ? q.forUpdate() : q).executeTakeFirst()
}

/** Keyset page ordered by id: stable under concurrent inserts. */
export async function listMerchants (db: Kysely<DB>, page: { limit: number; after?: string }): Promise<MerchantRow[]> {
  let q = db.selectFrom('merchants').select(COLUMNS).orderBy('id').limit(page.limit)
  if (page.after !== undefined) q = q.where('id', '>', page.after)
  return q.execute()
}

export async function updateMerchant (
  db: Kysely<DB>,
  id: string,
  patch: { name?: string; level_elevated_at?: number; level_high_at?: number; retention_days?: number; publish_requires_second_key?: boolean }
): Promise<MerchantRow | undefined> {
  return db.updateTable('merchants')
    .set({ ...patch, updated_at: sql`now()` as any })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst()
}
