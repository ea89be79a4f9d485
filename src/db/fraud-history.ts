// Repository for the past-fraud history (過去の不正注文): identifiers of this merchant's orders
// reported as fraud or charged back, searched exactly and by trigram similarity (類似).
import { sql, type Kysely } from 'kysely'
import type { DB, HistoryKind } from './types.js'

export type HistoryProbe = { kind: HistoryKind; value: string; similar: boolean }
export type HistoryRow = { probe: number; kind: HistoryKind; value: string; similarity: number }

/**
 * History rows equal to a probe's value, or (for probes marked similar) resembling it by
 * pg_trgm's % operator (similarity ≥ the session's 0.5, served by the trigram index); the
 * caller applies the stricter thresholds. `probe` is the probe's index.
 */
export async function findHistory (db: Kysely<DB>, merchantId: string, probes: readonly HistoryProbe[], trigramIndex = true): Promise<HistoryRow[]> {
  if (probes.length === 0) return []
  return (await historyQuery(merchantId, probes, trigramIndex).execute(db)).rows
}

/**
 * The search as one query (probes must not be empty), to run alone or inside a larger statement.
 * Per probe: the equal row first (through the primary key), then the closest few resembling
 * ones (through the merchant-and-kind trigram index), so a flood of look-alikes can never
 * crowd out an exact match.
 */
export function historyQuery (merchantId: string, probes: readonly HistoryProbe[], trigramIndex = true) {
  // PGlite (0.5) loses the whole statement when % runs inside this lateral join; there the
  // same test is written as a function call, which its small per-merchant history can afford.
  const resembles = trigramIndex ? sql`s.value % q.v` : sql`similarity(s.value, q.v) >= ${TRIGRAM_FLOOR}`
  const values = sql.join(probes.map((p, i) => sql`(${i}::int, ${p.kind}::text, ${p.value}::text, ${p.similar}::bool)`))
  return sql<HistoryRow>`
    select q.i as probe, h.kind, h.value, h.similarity
    from (values ${values}) as q(i, kind, v, fuzzy)
    cross join lateral (
      (select e.kind, e.value, 1::float8 as similarity from fraud_history e
        where e.merchant_id = ${merchantId} and e.kind = q.kind and e.value = q.v limit 1)
      union all
      (select s.kind, s.value, similarity(s.value, q.v)::float8 from fraud_history s
        where q.fuzzy and s.merchant_id = ${merchantId} and s.kind = q.kind and ${resembles} and s.value <> q.v
        order by similarity(s.value, q.v) desc limit ${SIMILAR_PER_PROBE})
    ) h`
}

/** pg_trgm.similarity_threshold as every session sets it (db/connect.ts). */
const TRIGRAM_FLOOR = 0.5

/** Resembling rows kept per probe: the closest, enough to name the field. */
const SIMILAR_PER_PROBE = 5
