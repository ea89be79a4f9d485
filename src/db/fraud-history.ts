// Repository for the past-fraud history (過去の不正注文): identifiers of this merchant's orders
// reported as fraud or charged back, searched exactly and by trigram similarity (類似).
import { sql, type Kysely } from 'kysely'
import type { DB, HistoryKind } from './types.js'

export type HistoryProbe = { kind: HistoryKind; value: string; similar: boolean }
export type HistoryRow = { probe: number; kind: HistoryKind; value: string; similarity: number }

/**
 * History rows equal to a probe's value, or (for probes marked similar) resembling it by
 * pg_trgm's % operator (similarity ≥ 0.3, served by the trigram index); the caller applies
 * the stricter thresholds. `probe` is the probe's index.
 */
export async function findHistory (db: Kysely<DB>, merchantId: string, probes: readonly HistoryProbe[]): Promise<HistoryRow[]> {
  if (probes.length === 0) return []
  return (await historyQuery(merchantId, probes).execute(db)).rows
}

/** The search as one query (probes must not be empty), to run alone or inside a larger statement. */
export function historyQuery (merchantId: string, probes: readonly HistoryProbe[]) {
  const values = sql.join(probes.map((p, i) => sql`(${i}::int, ${p.kind}::text, ${p.value}::text, ${p.similar}::bool)`))
  return sql<HistoryRow>`
    select q.i as probe, h.kind, h.value, similarity(h.value, q.v)::float8 as similarity
    from (values ${values}) as q(i, kind, v, fuzzy)
    join fraud_history h on h.merchant_id = ${merchantId} and h.kind = q.kind
      and (h.value = q.v or (q.fuzzy and h.value % q.v))
    limit 200`
}
