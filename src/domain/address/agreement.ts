// Agreement of the written form and the split form of one address (normalize.ts must give both
// the same keys), measured on the geolonia corpus. Pure: callers read the files.
import { kanji2number } from '@geolonia/japanese-numeral'
import { AddressError, normalizeAddress, type AddressInput, type AddressParts, type NormalizedAddress } from './normalize.js'
import { splitRoom } from './room.js'
import { foldName, prepare } from './text.js'

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

export type Normalizer = (input: AddressInput) => NormalizedAddress

// What the corpus expects, in the normalizer's terms: the official prefecture, the folded city,
// the folded town without 大字/字 and without a trailing 丁目 (丁), whose number opens the block.
type Expected = { prefecture: string; city: string; town: string; block: string }

function expectedOf(parts: AddressParts): Expected {
  let town = foldName(parts.town ?? '').replace(/^大?字/, '')
  let text = prepare(parts.block ?? '')
  const numbers: string[] = []
  const chomeInTown = /^(.*?)([〇一二三四五六七八九十]+)丁目?$/.exec(town)
  const chomeInBlock = /^([〇一二三四五六七八九十]+)丁目/.exec(text)
  if (chomeInTown !== null) {
    town = chomeInTown[1]!
    numbers.push(String(kanji2number(chomeInTown[2]!)))
  } else if (chomeInBlock !== null) {
    numbers.push(String(kanji2number(chomeInBlock[1]!)))
    text = text.slice(chomeInBlock[0].length)
  }
  // Words before the first number (字宮根3938-5, 家六2094-1) are the normalizer's town, not the block.
  const lead = /^[^0-9]*/.exec(text)![0]
  if (numbers.length === 0 && lead !== '') town += foldName(lead).replace(/^字/, '')
  text = text.slice(lead.length)
  numbers.push(...(/^[0-9]+(?:[-の](?:[A-Zイロハ])?[0-9]+)*/.exec(text)?.[0].split(/[-の]/) ?? []))
  return { prefecture: parts.prefecture ?? '', city: foldName(parts.city ?? ''), town, block: numbers.join('-') }
}

function describe(a: NormalizedAddress): string {
  return `${a.prefecture}|${foldName(a.city)}|${a.town}|${a.block}`
}

function read(normalize: Normalizer, input: AddressInput): NormalizedAddress | string {
  try {
    return normalize(input)
  } catch (e) {
    if (e instanceof AddressError) return `! ${e.field} ${e.reason}`
    throw e
  }
}

/**
 * How many cases the normalizer reads as the corpus expects: the written line gives the
 * corpus's prefecture, city, town and block, and the written line and the split form give the
 * same keys. A refusal is never agreement: every corpus case is a real address.
 */
export function agreement(cases: readonly CorpusCase[], normalize: Normalizer = normalizeAddress): Agreement {
  const disagreements: Disagreement[] = []
  let bothRejected = 0
  for (const c of cases) {
    const line = read(normalize, { line: c.written })
    const split = read(normalize, c.parts)
    const e = expectedOf(c.parts)
    if (typeof line === 'string' || typeof split === 'string') {
      if (typeof line === 'string' && typeof split === 'string') bothRejected++
      const say = (r: NormalizedAddress | string) => (typeof r === 'string' ? r : describe(r))
      disagreements.push({ written: c.written, parts: c.parts, line: say(line), split: say(split) })
      continue
    }
    const asExpected = line.prefecture === e.prefecture && foldName(line.city) === e.city && line.town === e.town && line.block === e.block
    const sameKeys = line.matchKey === split.matchKey && line.roomKey === split.roomKey
    if (!asExpected || !sameKeys) {
      disagreements.push({ written: c.written, parts: c.parts, line: `${describe(line)} room=${line.roomKey ?? '-'}`, split: `${describe(split)} room=${split.roomKey ?? '-'} expected ${e.prefecture}|${e.city}|${e.town}|${e.block}` })
    }
  }
  const agreed = cases.length - disagreements.length
  return { total: cases.length, agreed, bothRejected, ratio: cases.length === 0 ? 0 : agreed / cases.length, disagreements }
}
