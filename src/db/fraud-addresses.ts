// Repository for the fraud-address store (不正利用住所) and its import records.
import { sql, type Kysely } from 'kysely'
import type { CopySession } from './connect.js'
import type { DB, ImportLineError } from './types.js'
import type { FraudAddressRow } from '../domain/fraud-address/import-row.js'

/** How many rejected lines an import record lists; `rejected` counts them all. */
export const MAX_LISTED_ERRORS = 1000

// Every write to the store's rows takes this transaction-scoped advisory lock first, so imports
// running at once land their chunks one after another: two chunks inserting the same rows in
// different orders would otherwise each wait on the other's uncommitted rows (a deadlock that
// PostgreSQL breaks by failing one import). Readers never take it.
const STORE_WRITE_LOCK = sql`select pg_advisory_xact_lock(hashtext('shinsa.fraud_addresses'))`

const IMPORT_COLUMNS = ['id', 'name', 'status', 'encoding', 'started_at', 'finished_at', 'lines', 'inserted', 'duplicates', 'rejected', 'errors', 'failure'] as const

export type ImportRow = {
  id: string; name: string; status: 'running' | 'done' | 'failed'; encoding: string | null
  started_at: Date; finished_at: Date | null; lines: number; inserted: number; duplicates: number
  rejected: number; errors: ImportLineError[]; failure: string | null
}

export async function createImport (db: Kysely<DB>, name: string, encoding: string | null): Promise<ImportRow> {
  return db.insertInto('fraud_address_imports').values({ name, encoding }).returning(IMPORT_COLUMNS).executeTakeFirstOrThrow()
}

export async function findImport (db: Kysely<DB>, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom('fraud_address_imports').select(IMPORT_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function finishImport (db: Kysely<DB>, id: string, outcome: { status: 'done' | 'failed'; failure?: string }): Promise<ImportRow> {
  return db.updateTable('fraud_address_imports')
    .set({ status: outcome.status, failure: outcome.failure ?? null, finished_at: sql`now()` as any })
    .where('id', '=', id)
    .returning(IMPORT_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** An upload refused whole (too large) keeps nothing: its rows go, its record says so. */
export async function discardImport (db: Kysely<DB>, id: string, failure: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await STORE_WRITE_LOCK.execute(trx)
    await trx.deleteFrom('fraud_addresses').where('import_id', '=', id).execute()
    await trx.updateTable('fraud_address_imports')
      .set({ status: 'failed', failure, inserted: 0, duplicates: 0, finished_at: sql`now()` as any })
      .where('id', '=', id).execute()
  })
}

const STAGE_COLUMNS = [
  'issuer', 'reported_on', 'prefecture', 'city', 'town', 'block', 'room', 'building',
  'norm_prefecture', 'norm_city', 'norm_town', 'norm_block', 'norm_room',
  'match_key', 'room_key', 'town_key', 'city_key', 'dedupe_hash',
] as const satisfies ReadonlyArray<keyof FraudAddressRow>

// COPY's CSV: an unquoted empty field is NULL, a quoted one is text; bytea goes as \x hex.
function csvField (value: string | Buffer | null): string {
  if (value === null) return ''
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`
  return `"${value.replaceAll('"', '""')}"`
}

/**
 * Lands one chunk in the session's transaction: COPY into a staging table, insert what is new
 * (a row already stored is a duplicate), and add the chunk's counts to the import record — so
 * the record always says exactly what landed. Chunks of imports running at once wait for each
 * other (STORE_WRITE_LOCK): both imports finish, each row is inserted by one and a duplicate to the other.
 */
export async function insertFraudAddressChunk (
  session: CopySession,
  importId: string,
  chunk: { rows: FraudAddressRow[]; lines: number; errors: ImportLineError[]; /** Rejected lines beyond `errors`, counted only. */ unlisted?: number }
): Promise<{ inserted: number; duplicates: number }> {
  const { db } = session
  let inserted = 0
  if (chunk.rows.length > 0) {
    await STORE_WRITE_LOCK.execute(db)
    await sql`create temp table if not exists fraud_address_stage (
      issuer text, reported_on date, prefecture text, city text, town text, block text, room text, building text,
      norm_prefecture text, norm_city text, norm_town text, norm_block text, norm_room text,
      match_key text, room_key text, town_key text, city_key text, dedupe_hash bytea
    ) on commit delete rows`.execute(db)
    const csv = chunk.rows.map((r) => STAGE_COLUMNS.map((c) => csvField(r[c])).join(',')).join('\n') + '\n'
    await session.copyCsv(`fraud_address_stage (${STAGE_COLUMNS.join(', ')})`, csv)
    const columns = sql.raw(STAGE_COLUMNS.join(', '))
    const result = await sql`
      insert into fraud_addresses (import_id, ${columns})
      select ${importId}::uuid, ${columns} from fraud_address_stage
      on conflict (dedupe_hash) do nothing`.execute(db)
    inserted = Number(result.numAffectedRows ?? 0n)
  }
  const duplicates = chunk.rows.length - inserted
  await sql`
    update fraud_address_imports set
      lines = lines + ${chunk.lines},
      inserted = inserted + ${inserted},
      duplicates = duplicates + ${duplicates},
      rejected = rejected + ${chunk.errors.length + (chunk.unlisted ?? 0)},
      errors = case when jsonb_array_length(errors) >= ${MAX_LISTED_ERRORS} then errors
               else errors || (select coalesce(jsonb_agg(e), '[]'::jsonb) from (
                 select e from jsonb_array_elements(${JSON.stringify(chunk.errors)}::jsonb) e
                 limit ${MAX_LISTED_ERRORS} - jsonb_array_length(errors)) s) end
    where id = ${importId}`.execute(db)
  return { inserted, duplicates }
}

export type StoredFraudAddress = {
  id: string; issuer: string; reported_on: string; prefecture: string; city: string; town: string
  block: string; room: string | null; building: string | null; match_key: string; room_key: string | null
  town_key: string; city_key: string; import_id: string | null; created_at: Date
}

const ADDRESS_COLUMNS = [
  'id', 'issuer', 'reported_on', 'prefecture', 'city', 'town', 'block', 'room', 'building',
  'match_key', 'room_key', 'town_key', 'city_key', 'import_id', 'created_at',
] as const

/** Store rows whose match key is one of `keys` (every reading of a query address). */
export async function findFraudAddressesByKeys (db: Kysely<DB>, keys: readonly string[]): Promise<StoredFraudAddress[]> {
  if (keys.length === 0) return []
  return db.selectFrom('fraud_addresses').select(ADDRESS_COLUMNS).where('match_key', 'in', keys).orderBy('id').execute()
}

export type MatchCandidate = StoredFraudAddress & { matchKey: string; roomKey: string | null; townKey?: string; cityKey?: string; prefecture: string }

/**
 * The store rows a query's readings hit; when none does, one probe row each for the query's
 * town, city and prefecture, so the matcher can judge each field (該当あり / 該当なし).
 */
export async function findMatchCandidates (
  db: Kysely<DB>,
  query: { lookupKeys: readonly string[]; townKey: string; cityKey: string; prefecture: string }
): Promise<MatchCandidate[]> {
  const toCandidate = (r: StoredFraudAddress & { norm_prefecture: string }): MatchCandidate => ({
    ...r, matchKey: r.match_key, roomKey: r.room_key, townKey: r.town_key, cityKey: r.city_key, prefecture: r.norm_prefecture,
  })
  const columns = [...ADDRESS_COLUMNS, 'norm_prefecture'] as const
  const hits = query.lookupKeys.length === 0
    ? []
    : await db.selectFrom('fraud_addresses').select(columns).where('match_key', 'in', query.lookupKeys).orderBy('id').execute()
  if (hits.length > 0) return hits.map(toCandidate)
  const probe = (column: 'town_key' | 'city_key' | 'norm_prefecture', value: string) =>
    db.selectFrom('fraud_addresses').select(columns).where(column, '=', value).limit(1).execute()
  for (const [column, value] of [['town_key', query.townKey], ['city_key', query.cityKey], ['norm_prefecture', query.prefecture]] as const) {
    const found = await probe(column, value)
    if (found.length > 0) return found.map(toCandidate)
  }
  return []
}

export type BatchCandidate = {
  matchKey: string; roomKey: string | null; issuer: string; reported_on: string; building: string | null
  townKey?: string; cityKey?: string; prefecture?: string
}

/**
 * findMatchCandidates for many queries at once (a batch page): one query for every lookup key,
 * then one each for the towns, cities and prefectures of the queries that found nothing.
 */
export async function findMatchCandidatesMany (
  db: Kysely<DB>,
  queries: ReadonlyArray<{ lookupKeys: readonly string[]; townKey: string; cityKey: string; prefecture: string }>
): Promise<BatchCandidate[][]> {
  const keys = [...new Set(queries.flatMap((q) => q.lookupKeys))]
  const hits = keys.length === 0
    ? []
    : await db.selectFrom('fraud_addresses').select(['match_key', 'room_key', 'issuer', 'reported_on', 'building', 'id'])
      .where('match_key', 'in', keys).orderBy('id').execute()
  const byKey = new Map<string, typeof hits>()
  for (const h of hits) byKey.set(h.match_key, [...(byKey.get(h.match_key) ?? []), h])
  const found = queries.map((q) => q.lookupKeys.flatMap((k) => byKey.get(k) ?? []))
  const missing = queries.filter((_, i) => found[i]!.length === 0)
  // One index probe per distinct value (EXISTS stops at the first row), never a scan of a prefecture.
  const present = async (column: 'town_key' | 'city_key' | 'norm_prefecture', values: string[]): Promise<Set<string>> => {
    if (values.length === 0) return new Set()
    const { rows } = await sql<{ v: string }>`
      select v from unnest(${[...new Set(values)]}::text[]) as v
      where exists (select 1 from fraud_addresses where ${sql.ref(column)} = v)`.execute(db)
    return new Set(rows.map((r) => r.v))
  }
  const towns = await present('town_key', missing.map((q) => q.townKey))
  const cities = await present('city_key', missing.filter((q) => !towns.has(q.townKey)).map((q) => q.cityKey))
  const prefectures = await present('norm_prefecture', missing.filter((q) => !towns.has(q.townKey) && !cities.has(q.cityKey)).map((q) => q.prefecture))
  return queries.map((q, i) => {
    if (found[i]!.length > 0) {
      return found[i]!.map((h) => ({ matchKey: h.match_key, roomKey: h.room_key, issuer: h.issuer, reported_on: h.reported_on, building: h.building }))
    }
    // A probe stands for "some row lies in this town / city / prefecture": it never hits the key.
    const probe = { matchKey: '', roomKey: null, issuer: '', reported_on: '', building: null }
    if (towns.has(q.townKey)) return [{ ...probe, townKey: q.townKey, cityKey: q.cityKey, prefecture: q.prefecture }]
    if (cities.has(q.cityKey)) return [{ ...probe, cityKey: q.cityKey, prefecture: q.prefecture }]
    if (prefectures.has(q.prefecture)) return [{ ...probe, prefecture: q.prefecture }]
    return []
  })
}

export async function listFraudAddresses (
  db: Kysely<DB>,
  filter: { prefecture?: string; city?: string; town?: string },
  page: { limit: number; after?: string }
): Promise<StoredFraudAddress[]> {
  let q = db.selectFrom('fraud_addresses').select(ADDRESS_COLUMNS).orderBy('id').limit(page.limit)
  if (filter.prefecture !== undefined) q = q.where('norm_prefecture', '=', filter.prefecture)
  if (filter.city !== undefined) q = q.where('norm_city', '=', filter.city)
  if (filter.town !== undefined) q = q.where('norm_town', '=', filter.town)
  if (page.after !== undefined) q = q.where('id', '>', page.after)
  return q.execute()
}

export async function deleteFraudAddress (db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('fraud_addresses').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
