// Synthetic fraud-address rows, deterministic by index: row i is always the same row, and no two
// indexes share a normalized address (place × 番 × 号 is unique), so an import's expected counts
// are known exactly. Blocks and rooms are written several ways, as issuers write them.
import type { Place } from './places.js'

export type FraudRow = {
  issuer: string; reportedOn: string; prefecture: string; city: string; town: string
  block: string; room: string; building: string
}

const ISSUERS = ['ベンチカードA', 'ベンチカードB', 'ベンチカードC', 'ベンチカードD', 'ベンチカードE']
const DAY = 86_400_000
const FIRST_DAY = Date.UTC(2023, 0, 1)
// 番 runs 1…BAN; a query with 番 above it is never in the store.
export const BAN = 40
const WIDE = (s: string) => s.replace(/[0-9-]/g, (c) => c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))

/** The block of a place written in one of three styles: 2-3-4, 2丁目3番4号, ２－３－４. */
export function blockText (place: Place, ban: number, go: number, style: number): string {
  const numbers = place.chome === null ? [ban, go] : [place.chome, ban, go]
  if (style % 3 === 1) return (place.chome === null ? '' : `${place.chome}丁目`) + `${ban}番${go}号`
  const plain = numbers.join('-')
  return style % 3 === 2 ? WIDE(plain) : plain
}

/** The i-th distinct store row. Every third has a room, every fourth a building. */
export function storedRow (places: readonly Place[], i: number): FraudRow & { ban: number; go: number } {
  const place = places[i % places.length]!
  const k = Math.floor(i / places.length)
  const ban = (k % BAN) + 1
  const go = Math.floor(k / BAN) + 1
  const room = i % 3 === 0 ? `${go}0${(ban % 9) + 1}${i % 2 === 0 ? '号室' : ''}` : ''
  const building = i % 4 === 1 ? (i % 20 === 5 ? `メゾン,シンサ${ban}` : `シンサハイツ${ban}`) : ''
  return {
    issuer: ISSUERS[i % ISSUERS.length]!,
    reportedOn: new Date(FIRST_DAY + ((i * 7919) % 700) * DAY).toISOString().slice(0, 10),
    prefecture: place.prefecture, city: place.city, town: place.town,
    block: blockText(place, ban, go, i), room, building, ban, go,
  }
}

export const field = (v: string) => /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
export const csvLine = (r: FraudRow) =>
  [r.issuer, r.reportedOn, r.prefecture, r.city, r.town, r.block, r.room, r.building].map(field).join(',') + '\n'

// Lines the import must refuse, each for a different reason.
const BAD: Array<(r: FraudRow) => string> = [
  (r) => csvLine({ ...r, reportedOn: '2099-12-31' }), // in the future
  (r) => csvLine({ ...r, reportedOn: '2024-02-30' }), // not a calendar date
  (r) => csvLine({ ...r, city: '' }), // a required part missing
  (r) => csvLine({ ...r, prefecture: 'カリフォルニア州' }), // not domestic
  (r) => [r.issuer, r.reportedOn, r.prefecture, r.city].join(',') + '\n', // 4 columns of 8
  (r) => csvLine({ ...r, issuer: '' }),
]

export type ImportCounts = { lines: number; inserted: number; duplicates: number; rejected: number }

/**
 * An import file of `lines` data lines after the header: every 67th line bad (~1.5 %), every
 * 100th a repeat of an earlier row (~1 %), the rest distinct rows 0, 1, 2 …; `counts` holds what
 * the import record must say once the generator is drained.
 */
export function importFile (places: readonly Place[], lines: number): { chunks: Generator<string>; counts: ImportCounts } {
  const counts: ImportCounts = { lines, inserted: 0, duplicates: 0, rejected: 0 }
  function * chunks (): Generator<string> {
    let buffer = 'issuer,reported_on,prefecture,city,town,block,room,building\n'
    for (let j = 0; j < lines; j++) {
      if (j % 67 === 66) {
        buffer += BAD[counts.rejected % BAD.length]!(storedRow(places, counts.rejected))
        counts.rejected++
      } else if (j % 100 === 99 && counts.inserted > 20) {
        buffer += csvLine(storedRow(places, counts.inserted - 20))
        counts.duplicates++
      } else {
        buffer += csvLine(storedRow(places, counts.inserted++))
      }
      if (buffer.length >= 32_768) { yield buffer; buffer = '' }
    }
    if (buffer !== '') yield buffer
  }
  return { chunks: chunks(), counts }
}
