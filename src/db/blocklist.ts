// Repository for the merchant blocklist (ブラックリスト): entries stored with their normalized
// value, and the lookup of an order's normalized identifiers (IP addresses by CIDR containment).
import { sql, type Kysely } from 'kysely'
import type { BlocklistType, DB } from './types.js'

export type BlocklistRow = {
  id: string; type: BlocklistType; value: string; normalized: string; note: string | null; created_at: Date
}
const COLUMNS = ['id', 'type', 'value', 'normalized', 'note', 'created_at'] as const

/** Inserts the entry, or answers undefined when the merchant already lists that normalized value. */
export async function insertBlocklistEntry (
  db: Kysely<DB>,
  row: { merchant_id: string; type: BlocklistType; value: string; normalized: string; ip_range: string | null; note: string | null }
): Promise<BlocklistRow | undefined> {
  return db.insertInto('blocklist_entries').values(row)
    .onConflict((oc) => oc.constraint('blocklist_entries_value_key').doNothing())
    .returning(COLUMNS).executeTakeFirst()
}

export async function findBlocklistEntryByValue (
  db: Kysely<DB>, merchantId: string, type: BlocklistType, normalized: string
): Promise<BlocklistRow | undefined> {
  return db.selectFrom('blocklist_entries').select(COLUMNS)
    .where('merchant_id', '=', merchantId).where('type', '=', type).where('normalized', '=', normalized)
    .executeTakeFirst()
}

/** Keyset page, newest first: (created_at, id) below the cursor. */
export async function listBlocklist (
  db: Kysely<DB>, merchantId: string, page: { limit: number; type?: BlocklistType; before?: { createdAt: Date; id: string } }
): Promise<BlocklistRow[]> {
  let q = db.selectFrom('blocklist_entries').select(COLUMNS).where('merchant_id', '=', merchantId)
  if (page.type !== undefined) q = q.where('type', '=', page.type)
  if (page.before !== undefined) {
    const { createdAt, id } = page.before
    q = q.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]))
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute()
}

export async function findBlocklistEntry (db: Kysely<DB>, merchantId: string, id: string): Promise<BlocklistRow | undefined> {
  return db.selectFrom('blocklist_entries').select(COLUMNS).where('merchant_id', '=', merchantId).where('id', '=', id).executeTakeFirst()
}

export async function deleteBlocklistEntry (db: Kysely<DB>, merchantId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('blocklist_entries').where('merchant_id', '=', merchantId).where('id', '=', id).executeTakeFirst()
  return r.numDeletedRows > 0n
}

export type BlocklistProbe = { type: Exclude<BlocklistType, 'ip'>; normalized: string }

/** The entries an order's identifiers hit: equal normalized values, and IP ranges containing `ip`. */
export async function findBlocklistHits (
  db: Kysely<DB>, merchantId: string, probes: readonly BlocklistProbe[], ip: string | null
): Promise<Array<{ type: BlocklistType; normalized: string }>> {
  if (probes.length === 0 && ip === null) return []
  return blocklistHitsQuery(db, merchantId, probes, ip).execute()
}

/** The lookup as a query (probes or ip must be given), to run alone or inside a larger statement. */
export function blocklistHitsQuery (db: Kysely<DB>, merchantId: string, probes: readonly BlocklistProbe[], ip: string | null) {
  return db.selectFrom('blocklist_entries').select(['type', 'normalized'])
    .where('merchant_id', '=', merchantId)
    .where((eb) => eb.or([
      ...probes.map((p) => eb.and([eb('type', '=', p.type), eb('normalized', '=', p.normalized)])),
      ...(ip === null ? [] : [eb.and([eb('type', '=', 'ip'), sql<boolean>`ip_range >>= ${ip}::inet`])]),
    ]))
    .limit(100)
}
