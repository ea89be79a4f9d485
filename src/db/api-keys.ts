// Repository for API keys. Only hashes are stored; the key itself exists in the create answer only.
import { sql, type Kysely } from 'kysely'
import type { DB } from './types.js'

export type ApiKeyRow = {
  id: string
  merchant_id: string
  prefix: string
  name: string | null
  scopes: string[]
  created_at: Date
  expires_at: Date | null
  revoked_at: Date | null
}

const COLUMNS = ['id', 'merchant_id', 'prefix', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at'] as const

export async function insertApiKey (
  db: Kysely<DB>,
  row: { merchant_id: string; prefix: string; name: string | null; key_hash: Buffer; scopes: string[]; expires_at: Date | null }
): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(row).returning(COLUMNS).executeTakeFirstOrThrow()
}

export async function findApiKeyByHash (db: Kysely<DB>, hash: Buffer): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').select(COLUMNS).where('key_hash', '=', hash).executeTakeFirst()
}

export async function listApiKeys (db: Kysely<DB>, merchantId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at').orderBy('id')
    .execute()
}

/** Revokes a key once; revoking again keeps the first revocation time. */
export async function revokeApiKey (db: Kysely<DB>, merchantId: string, id: string): Promise<ApiKeyRow | undefined> {
  return db.updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('merchant_id', '=', merchantId).where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst()
}
