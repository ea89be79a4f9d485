// Repository for a merchant's ruleset versions, their publication log and their per-rule counts.
// The merchant's row names the live and shadow versions; writers lock it (lockRulesetHead) so a
// merchant's versions are numbered, published and shadowed one at a time.
import { sql, type Kysely } from 'kysely'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import type { DB } from './types.js'

export type RulesetRow = {
  version: number
  body: RulesetBody
  status: 'draft' | 'published'
  created_by: string | null
  created_at: Date
  published_by: string | null
  published_at: Date | null
}

export type RulesetHead = { live: number | null; shadow: number | null; requiresSecondKey: boolean }

export type PublicationRow = { version: number; kind: 'live' | 'shadow' | 'shadow_cleared'; key_id: string | null; at: Date }

export type RuleCountRow = {
  rule_id: string; role: 'live' | 'shadow'; evaluated: string; matched: string; errors: string; last_error: string | null; last_error_at: Date | null
}

const COLUMNS = ['version', 'body', 'status', 'created_by', 'created_at', 'published_by', 'published_at'] as const

function headQuery (db: Kysely<DB>, merchantId: string) {
  return db.selectFrom('merchants')
    .select(['live_ruleset_version as live', 'shadow_ruleset_version as shadow', 'publish_requires_second_key as requiresSecondKey'])
    .where('id', '=', merchantId)
}

export async function findRulesetHead (db: Kysely<DB>, merchantId: string): Promise<RulesetHead | undefined> {
  return headQuery(db, merchantId).executeTakeFirst()
}

/** The head under a row lock: inside a transaction, the merchant's ruleset writes queue here. */
export async function lockRulesetHead (db: Kysely<DB>, merchantId: string): Promise<RulesetHead | undefined> {
  return headQuery(db, merchantId).forUpdate().executeTakeFirst()
}

/** The next version of the merchant's: call with the head locked, so two drafts never share a number. */
export async function insertRuleset (db: Kysely<DB>, merchantId: string, body: RulesetBody, createdBy: string): Promise<RulesetRow> {
  const { last } = await db.selectFrom('rulesets').select(sql<number>`coalesce(max(version), 0)`.as('last'))
    .where('merchant_id', '=', merchantId).executeTakeFirstOrThrow()
  return db.insertInto('rulesets')
    .values({ merchant_id: merchantId, version: Number(last) + 1, body: JSON.stringify(body), created_by: createdBy })
    .returning(COLUMNS).executeTakeFirstOrThrow()
}

export async function findRuleset (db: Kysely<DB>, merchantId: string, version: number): Promise<RulesetRow | undefined> {
  return db.selectFrom('rulesets').select(COLUMNS).where('merchant_id', '=', merchantId).where('version', '=', version).executeTakeFirst()
}

/** Newest first; `before`: only versions below it (the previous page's last). */
export async function listRulesets (db: Kysely<DB>, merchantId: string, page: { limit: number; before?: number }): Promise<RulesetRow[]> {
  let q = db.selectFrom('rulesets').select(COLUMNS).where('merchant_id', '=', merchantId).orderBy('version', 'desc').limit(page.limit)
  if (page.before !== undefined) q = q.where('version', '<', page.before)
  return q.execute()
}

/** Published from now on; the first publisher and time are kept through later re-publishing. */
export async function markPublished (db: Kysely<DB>, merchantId: string, version: number, keyId: string): Promise<RulesetRow> {
  return db.updateTable('rulesets')
    .set({ status: 'published', published_by: sql`coalesce(published_by, ${keyId}::uuid)`, published_at: sql`coalesce(published_at, now())` })
    .where('merchant_id', '=', merchantId).where('version', '=', version)
    .returning(COLUMNS).executeTakeFirstOrThrow()
}

export async function setRulesetHead (db: Kysely<DB>, merchantId: string, patch: { live_ruleset_version?: number; shadow_ruleset_version?: number | null }): Promise<void> {
  await db.updateTable('merchants').set({ ...patch, updated_at: sql`now()` as any }).where('id', '=', merchantId).execute()
}

export async function appendPublication (
  db: Kysely<DB>, merchantId: string, kind: PublicationRow['kind'], version: number | null, keyId: string
): Promise<void> {
  await db.insertInto('ruleset_publications').values({ merchant_id: merchantId, kind, version, key_id: keyId }).execute()
}

/**
 * The publication log of the given versions, oldest first. A shadow_cleared row names no version:
 * it is the shadow set last before it.
 */
export async function listPublications (db: Kysely<DB>, merchantId: string, versions: readonly number[]): Promise<PublicationRow[]> {
  if (versions.length === 0) return []
  const { rows } = await sql<PublicationRow>`
    select version, kind, key_id, at from (
      select p.id, p.kind, p.key_id, p.at, coalesce(p.version, (
        select s.version from ruleset_publications s
        where s.merchant_id = p.merchant_id and s.kind = 'shadow' and s.id < p.id order by s.id desc limit 1)) as version
      from ruleset_publications p where p.merchant_id = ${merchantId}
    ) x where version = any(${sql.val([...versions])}::int[]) order by id`.execute(db)
  return rows
}

export async function listRuleCounts (db: Kysely<DB>, merchantId: string, version: number): Promise<RuleCountRow[]> {
  return db.selectFrom('ruleset_rule_counts')
    .select(['rule_id', 'role', 'evaluated', 'matched', 'errors', 'last_error', 'last_error_at'])
    .where('merchant_id', '=', merchantId).where('version', '=', version).execute()
}
