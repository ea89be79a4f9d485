// Reading the past-fraud history (一致 / 類似): which of an order's identifiers to search, how,
// and what a found row means. Exact e-mail, phone or address is a match (一致); a name or kana
// (names are shared by strangers), a resembling name, kana or address, or a near-identical
// e-mail local part is a resemblance (類似).
import { nearIdenticalLocalParts } from '../identity/email.js'
import type { HistoryHit } from './evidence.js'
import type { HistoryKind, Identifier } from './identities.js'
import { RULESET } from './ruleset.js'

export type HistoryProbe = { kind: HistoryKind; value: string; similar: boolean; field: string }
/** A history row found for probe number `probe` (its index), with its trigram similarity. */
export type HistoryRow = { probe: number; kind: HistoryKind; value: string; similarity: number }

const EXACT_IS_MATCH: ReadonlySet<HistoryKind> = new Set(['email', 'phone', 'address'])
const SIMILAR_KINDS: ReadonlySet<HistoryKind> = new Set(['name', 'kana', 'address', 'email_local'])

/** The probes for an order: every identifier; names, kana, addresses and local parts also by resemblance. */
export function historyProbes(ids: readonly Identifier[], extraAddressKeys: ReadonlyArray<{ value: string; field: string }> = []): HistoryProbe[] {
  const probes: HistoryProbe[] = ids.map((i) => ({ ...i, similar: SIMILAR_KINDS.has(i.kind) }))
  // Other readings of an address (1-2-3-101 read as 1-2-3 room 101) are searched exactly.
  for (const a of extraAddressKeys) {
    if (!probes.some((p) => p.kind === 'address' && p.value === a.value)) probes.push({ kind: 'address', value: a.value, similar: false, field: a.field })
  }
  return probes
}

function threshold(kind: HistoryKind): number {
  const h = RULESET.history
  return kind === 'name' ? h.nameSimilarity : kind === 'kana' ? h.kanaSimilarity : h.addressSimilarity
}

/** What the found rows say, per field: exact (一致) or similar (類似). */
export function judgeHistory(
  probes: readonly HistoryProbe[],
  rows: ReadonlyArray<{ probe: number; kind: string; value: string; similarity: number }>
): HistoryHit[] {
  const hits: HistoryHit[] = []
  const add = (hit: HistoryHit) => {
    if (!hits.some((h) => h.field === hit.field && h.kind === hit.kind && h.how === hit.how)) hits.push(hit)
  }
  for (const row of rows) {
    const probe = probes[row.probe]
    if (probe === undefined || probe.kind !== row.kind) continue
    const equal = row.value === probe.value
    if (equal && EXACT_IS_MATCH.has(probe.kind)) {
      add({ field: probe.field, kind: probe.kind, how: 'exact' })
    } else if (probe.kind === 'email_local') {
      // The same local part at another domain, or one a keystroke or a number away.
      if (equal || nearIdenticalLocalParts(`${probe.value}@a.invalid`, `${row.value}@a.invalid`)) add({ field: probe.field, kind: 'email', how: 'similar' })
    } else if (equal || (probe.similar && row.similarity >= threshold(probe.kind))) {
      add({ field: probe.field, kind: probe.kind, how: 'similar' })
    }
  }
  return hits
}
