// Agreement of the written form and the split form of one address (normalize.ts must give both
// the same keys), measured on the geolonia corpus. Pure: callers read the files.
import { AddressError, normalizeAddress, type AddressInput, type AddressParts } from './normalize.js'
import { splitRoom } from './room.js'
import { prepare } from './text.js'

export type CorpusCase = { written: string; parts: AddressParts }
export type Disagreement = { written: string; parts: AddressParts; line: string; split: string }
export type Agreement = { total: number; agreed: number; bothRejected: number; ratio: number; disagreements: Disagreement[] }

/** v3_addresses.csv: 住所,都道府県,市区町村,町字,番地号,その他,… (quoted fields allowed). */
export function casesFromCsv(text: string): CorpusCase[] {
  const [, ...rows] = text.split(/\r?\n/).filter((l) => l !== '')
  return rows.map((row) => {
    const [written = '', prefecture, city, town, banchi = '', other = ''] = parseCsvRow(row)
    return { written, parts: splitForm(prefecture, city, town, banchi, other) }
  })
}

/** v2.9.2_main_test_cases.json: input → { pref, city, town, addr } (addr: all after the town). */
export function casesFromJson(text: string): CorpusCase[] {
  const cases = JSON.parse(text) as Array<{ input: string; expected: { pref: string; city: string; town: string; addr: string } }>
  return cases.map(({ input, expected: e }) => ({
    written: input,
    parts: { prefecture: e.pref, city: e.city, town: e.town, block: e.addr },
  }))
}

// shinsa's split form of a CSV row: the block is 番地号, or else the leading numbers of その他;
// what is left of その他 is the 建物名 and 階・部屋番号 a merchant would type in their own fields.
const LEADING_NUMBERS = /^[0-9]+(?:[-ーの][0-9]+)*(?:番地?|号)?/
function splitForm(prefecture?: string, city?: string, town?: string, banchi = '', other = ''): AddressParts {
  let block = prepare(banchi)
  let rest = prepare(other)
  if (block === '') {
    // No leading number (一丁目38, 屋5丁目): the merchant types the whole of it as the block.
    block = LEADING_NUMBERS.exec(rest)?.[0] ?? rest
    rest = rest.slice(block.length)
  }
  const { room, building } = splitRoom(rest)
  const parts: AddressParts = { prefecture, city, town, block }
  if (room !== null) parts.room = room
  if (building !== null) parts.building = building
  return parts
}

function parseCsvRow(row: string): string[] {
  const out: string[] = []
  const re = /("(?:[^"]|"")*"|[^,]*)(?:,|$)/g
  for (let m = re.exec(row); m !== null && m.index < row.length; m = re.exec(row)) {
    const v = m[1]!
    out.push(v.startsWith('"') ? v.slice(1, -1).replace(/""/g, '"') : v)
  }
  return out
}

function keyOf(input: AddressInput): string {
  try {
    const a = normalizeAddress(input)
    return `${a.matchKey} room=${a.roomKey ?? '-'}`
  } catch (e) {
    if (e instanceof AddressError) return `! ${e.field} ${e.reason}`
    throw e
  }
}

/** How many cases give the same keys (or are refused) both ways. */
export function agreement(cases: readonly CorpusCase[]): Agreement {
  const disagreements: Disagreement[] = []
  let bothRejected = 0
  for (const c of cases) {
    const line = keyOf({ line: c.written })
    const split = keyOf(c.parts)
    if (line === split || (line.startsWith('!') && split.startsWith('!'))) {
      if (line.startsWith('!')) bothRejected++
    } else disagreements.push({ written: c.written, parts: c.parts, line, split })
  }
  const agreed = cases.length - disagreements.length
  return { total: cases.length, agreed, bothRejected, ratio: cases.length === 0 ? 1 : agreed / cases.length, disagreements }
}
