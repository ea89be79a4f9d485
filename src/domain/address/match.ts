// 不正住所照合: one normalized query against the fraud-address records found by its lookupKeys,
// answering full (完全一致) / partial (部分一致) / none (該当なし) as seed 001's table does.
import type { NormalizedAddress } from './normalize.js'

export type FieldJudgment = 'hit' | 'miss' | 'unspecified' // 該当あり / 該当なし / 指定なし
export type MatchOutcome = 'full' | 'partial' | 'none'

/**
 * A stored record as the matcher needs it. townKey, cityKey and prefecture are optional: they
 * only serve the per-field judgments when the address itself is not found.
 */
export type MatchRecord = {
  matchKey: string
  roomKey: string | null
  townKey?: string
  cityKey?: string
  prefecture?: string
}

export type MatchResult<R extends MatchRecord> = {
  result: MatchOutcome
  count: number // records whose address (pref+city+town+block) hits: several issuers may report one
  fields: { prefecture: FieldJudgment; city: FieldJudgment; town: FieldJudgment; block: FieldJudgment; room: FieldJudgment }
  matched: R[] // those records, the best first
}

type Judged<R> = { record: R; room: FieldJudgment; outcome: 'full' | 'partial'; rank: number }

/**
 * The seed's table, per record whose address hits (building never counts):
 * room equal → full; room differs → partial; query gives no room and the record has one →
 * partial (注3); the record has no room (registered only up to 号) → full whatever the query's (注2).
 */
function judge<R extends MatchRecord>(record: R, queryRoom: string | null): Judged<R> {
  // The record names no room: there is nothing to judge the query's room against (指定なし).
  if (record.roomKey === null) return { record, room: 'unspecified', outcome: 'full', rank: 1 }
  if (queryRoom === null) return { record, room: 'unspecified', outcome: 'partial', rank: 2 }
  if (queryRoom === record.roomKey) return { record, room: 'hit', outcome: 'full', rank: 0 }
  return { record, room: 'miss', outcome: 'partial', rank: 3 }
}

/** Matches a query against records (any superset of those sharing a lookup key is fine). */
export function matchAddress<R extends MatchRecord>(query: NormalizedAddress, records: readonly R[]): MatchResult<R> {
  const judged: Judged<R>[] = []
  for (const record of records) {
    // Each record is read under the query's reading whose key it carries: the primary one, or
    // 1-2-3-101 read as block 1-2-3 with room 101 (and the reverse).
    const reading = query.readings.find((r) => r.matchKey === record.matchKey)
    if (reading !== undefined) judged.push(judge(record, reading.roomKey))
  }
  if (judged.length > 0) {
    judged.sort((a, b) => a.rank - b.rank)
    const best = judged[0]!
    return {
      result: best.outcome,
      count: judged.length,
      fields: { prefecture: 'hit', city: 'hit', town: 'hit', block: 'hit', room: best.room },
      matched: judged.map((j) => j.record),
    }
  }
  // Not found: each field says whether some record agrees with the query down to it.
  const town = records.some((r) => r.townKey === query.townKey)
  const city = town || records.some((r) => r.cityKey === query.cityKey)
  const prefecture = city || records.some((r) => r.prefecture === query.prefecture)
  const judgment = (hit: boolean): FieldJudgment => (hit ? 'hit' : 'miss')
  return {
    result: 'none',
    count: 0,
    fields: {
      prefecture: judgment(prefecture),
      city: judgment(city),
      town: judgment(town),
      block: 'miss',
      room: query.roomKey === null ? 'unspecified' : 'miss',
    },
    matched: [],
  }
}
