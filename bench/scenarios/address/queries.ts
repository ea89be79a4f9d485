// What the match load sends and what the normalizer bench reads: queries built from the same
// synthetic rows as the store, so the outcome of each is known — hits written differently from
// the stored row (the normalizer has work to do), partial hits, and two kinds of miss.
import { BAN, blockText, storedRow } from './rows.js'
import type { Places } from './places.js'

export type Expected = 'full' | 'partial' | 'none'
export type Address = { prefecture: string; city: string; town: string; block: string; room?: string; building?: string }
export type Query = { kind: string; expected: Expected; address: Address }

// Out of every 20 queries: 7 full, 5 partial, 5 whose block is not stored, 3 whose town is not.
const MIX: Array<[kind: string, expected: Expected, share: number]> = [
  ['full (block written another way)', 'full', 7],
  ['partial (room differs or not given)', 'partial', 5],
  ['none (town stored, block not)', 'none', 5],
  ['none (town not stored)', 'none', 3],
]

const optional = (key: 'room' | 'building', value: string) => value === '' ? {} : { [key]: value }

/** Query b of the mix against a store holding rows 0 … stored-1. */
export function query (places: Places, stored: number, b: number): Query {
  let slot = b % 20
  const [kind, expected] = MIX.find(([, , share]) => (slot -= share) < 0)!
  const spread = (b * 7919 + 104_729) % stored
  if (kind.startsWith('full')) {
    const r = storedRow(places.stored, spread)
    const place = places.stored[spread % places.stored.length]!
    const address = { ...r, block: blockText(place, r.ban, r.go, spread + 1), ...optional('room', r.room.replace('号室', '')) }
    return { kind, expected, address: pick(address) }
  }
  if (kind.startsWith('partial')) {
    const i = 3 * (spread % Math.floor(stored / 3)) // every third row has a room
    const r = storedRow(places.stored, i)
    return { kind, expected, address: pick({ ...r, room: b % 2 === 0 ? '999' : '' }) }
  }
  const list = kind.includes('town not') ? places.heldOut : places.stored
  const place = list[b % list.length]!
  const block = blockText(place, BAN + 1 + (b % 50), 1 + (b % 5), b)
  return { kind, expected, address: { prefecture: place.prefecture, city: place.city, town: place.town, block } }
}

function pick (r: Address & { room?: string; building?: string }): Address {
  return {
    prefecture: r.prefecture, city: r.city, town: r.town, block: r.block,
    ...optional('room', r.room ?? ''), ...optional('building', r.building ?? ''),
  }
}

/** The mix as a line for the output: "35 % full (…), 25 % partial (…), …". */
export function describeMix (): string {
  return MIX.map(([kind, , share]) => `${share * 5} % ${kind}`).join(', ')
}

/** `count` request bodies for POST /v1/address-matches. */
export function matchBodies (places: Places, stored: number, count: number): Array<{ expected: Expected; body: unknown }> {
  return Array.from({ length: count }, (_, b) => {
    const q = query(places, stored, b)
    return { expected: q.expected, body: { orderId: `BENCH-${b}`, email: `buyer${b}@example.jp`, address: q.address } }
  })
}

/** Line input for the normalizer: the parts run together as people type them, room last. */
export function asLine (a: Address): string {
  return `${a.prefecture}${a.city}${a.town}${a.block}${a.building === undefined ? '' : ` ${a.building}`}${a.room === undefined ? '' : ` ${a.room}`}`
}
