// Repository for webhook endpoints: at most MAX_ENDPOINTS per merchant, enforced under a lock
// on the merchant's row so two concurrent creations cannot both be the tenth.
import { sql, type Kysely } from 'kysely'
import type { DB, WebhookMode } from './types.js'

export const MAX_ENDPOINTS = 10

export type EndpointRow = {
  id: string; url: string; min_level: 'elevated' | 'high'; mode: WebhookMode; window_start: string; window_end: string
  secret: string; previous_secret: string | null; previous_secret_until: Date | null; created_at: Date; updated_at: Date
}
const COLUMNS = ['id', 'url', 'min_level', 'mode', 'window_start', 'window_end', 'secret', 'previous_secret', 'previous_secret_until', 'created_at', 'updated_at'] as const

export type NewEndpoint = { url: string; min_level: 'elevated' | 'high'; mode: WebhookMode; window_start: string; window_end: string; secret: string }

/** The new endpoint, or 'full' when the merchant has MAX_ENDPOINTS already. */
export async function insertEndpoint (db: Kysely<DB>, merchantId: string, e: NewEndpoint): Promise<EndpointRow | 'full'> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('merchants').select('id').where('id', '=', merchantId).forUpdate().execute()
    const { n } = await trx.selectFrom('webhook_endpoints').select(sql<string>`count(*)`.as('n')).where('merchant_id', '=', merchantId).executeTakeFirstOrThrow()
    if (Number(n) >= MAX_ENDPOINTS) return 'full'
    return trx.insertInto('webhook_endpoints').values({ merchant_id: merchantId, ...e }).returning(COLUMNS).executeTakeFirstOrThrow()
  })
}

export async function listEndpoints (db: Kysely<DB>, merchantId: string): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').select(COLUMNS).where('merchant_id', '=', merchantId).orderBy('created_at').orderBy('id').execute()
}

export async function findEndpoint (db: Kysely<DB>, merchantId: string, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').select(COLUMNS).where('merchant_id', '=', merchantId).where('id', '=', id).executeTakeFirst()
}

export async function updateEndpoint (
  db: Kysely<DB>, merchantId: string, id: string, patch: Partial<Omit<NewEndpoint, 'secret'>>
): Promise<EndpointRow | undefined> {
  return db.updateTable('webhook_endpoints').set({ ...patch, updated_at: sql`now()` as any })
    .where('merchant_id', '=', merchantId).where('id', '=', id).returning(COLUMNS).executeTakeFirst()
}

/** A new secret; the old one keeps signing (as a second v1) until `graceUntil`. */
export async function rotateSecret (db: Kysely<DB>, merchantId: string, id: string, secret: string, graceUntil: Date): Promise<EndpointRow | undefined> {
  return db.updateTable('webhook_endpoints')
    .set({ previous_secret: sql`secret` as any, previous_secret_until: graceUntil, secret, updated_at: sql`now()` as any })
    .where('merchant_id', '=', merchantId).where('id', '=', id).returning(COLUMNS).executeTakeFirst()
}

export async function deleteEndpoint (db: Kysely<DB>, merchantId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('webhook_endpoints').where('merchant_id', '=', merchantId).where('id', '=', id).executeTakeFirst()
  return r.numDeletedRows > 0n
}

/** What fan-out needs of a merchant's endpoints, as a subquery of a larger statement. */
export function endpointsForFanoutQuery (db: Kysely<DB>, merchantId: string) {
  return db.selectFrom('webhook_endpoints').select(['id', 'min_level', 'mode', 'window_start', 'window_end']).where('merchant_id', '=', merchantId)
}
