// Raw address (parts or one line) → canonical address and the plain-string keys the fraud-address
// store is searched by. Pure and deterministic; the vocabulary loads once, on first call.
//
// matchKey = prefecture + city + town + '#' + block, e.g. 東京都渋谷区道玄坂#1-2-3: names are
// folded (width, ケ/ヶ/ガ, ノ/の, old kanji), the city/town split is re-made from the vocabulary
// (so 姫路市|飾磨区恵比酒 = 姫路市飾磨区|恵比酒, 大阪市|北区梅田 = 大阪市北区|梅田, 串本町 =
// 東牟婁郡串本町), 大字/字 are dropped and a 丁目 written in the town becomes the block's first number.
import { numbersInNames } from './numbers.js'
import { canonicalRoom, splitRoom } from './room.js'
import { cityAt, prefectureAt, splitFrom, type Split } from './split.js'
import { foldName, prepare } from './text.js'
import { vocabulary } from './vocabulary.js'

export type AddressParts = {
  postalCode?: string
  prefecture?: string
  city?: string
  town?: string
  block?: string
  room?: string
  building?: string
}
export type AddressLine = { line: string; postalCode?: string }
export type AddressInput = AddressParts | AddressLine

/** One way to read the address for lookup: the store is searched by every reading's matchKey. */
export type AddressReading = {
  matchKey: string
  roomKey: string | null
  /** primary; trailing-room: 1-2-3-101 read as block 1-2-3 room 101; room-in-block: the reverse */
  kind: 'primary' | 'trailing-room' | 'room-in-block'
}

export type NormalizedAddress = {
  postalCode: string | null
  prefecture: string // official name: 東京都
  city: string // official name when known, with a designated city's ward and 郡: 大阪市北区
  town: string // folded, without 大字/字 and without its 丁目 number: 道玄坂
  block: string // canonical numbers joined with '-': 1-2-3
  room: string | null // 101, 3F, B1, A101 … or null
  building: string | null // as given, width-normalised; never used for matching
  matchKey: string // prefecture + city + town + '#' + block, split-insensitive
  roomKey: string | null
  cityKey: string // prefecture + city, for per-field judgments
  townKey: string // prefecture + city + town, for per-field judgments
  readings: AddressReading[] // primary first
  lookupKeys: string[] // the readings' distinct matchKeys: search the store with matchKey IN these
}

export type AddressField = 'prefecture' | 'city' | 'town' | 'block' | 'room' | 'line' | 'postalCode'
export type AddressErrorReason = 'NOT_DOMESTIC' | 'BLOCK_WITHOUT_NUMBER' | 'MISSING' | 'UNRECOGNIZED' | 'INVALID'

export class AddressError extends Error {
  override name = 'AddressError'
  constructor(
    readonly field: AddressField,
    readonly reason: AddressErrorReason,
    message: string,
  ) {
    super(message)
  }
}

const POSTAL = /^〒?\s*([0-9]{3})-?([0-9]{4})(?:\s+|$)/
// Countries and regions people abroad write first or last; a line of mostly Latin letters too.
const FOREIGN = /^(?:中国|中華人民共和国|台湾|韓国|大韓民国|香港|澳門|アメリカ|米国|シンガポール|タイ|フィリピン|ベトナム|イギリス|英国|フランス|ドイツ|カナダ|オーストラリア)|\b(?:USA|U\.S\.A|United States|China|Korea|Taiwan|Hong Kong|Singapore|Canada|Australia|Germany|France|UK)\b/i

/** Prepared address text: spaces kept only where they can end the block (after a number or 号). */
function prepareAddress(text: string): string {
  return numbersInNames(prepare(text).replace(/ ?- ?/g, '-')).replace(/ /g, (_, i: number, s: string) =>
    /[0-9〇一二三四五六七八九十百千号番目地]/.test(s[i - 1] ?? '') ? ' ' : '',
  )
}

function isForeign(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '').length
  return FOREIGN.test(text) || letters * 2 >= text.replace(/[\s0-9\-,.#]/g, '').length
}

function postalCodeOf(text: string | undefined): string | null {
  if (text === undefined || text.trim() === '') return null
  const m = POSTAL.exec(prepare(text))
  if (m === null) throw new AddressError('postalCode', 'INVALID', 'a postal code is 7 digits: 150-0043')
  return m[1]! + m[2]!
}

function prefectureFromPostal(code: string | null): string | null {
  if (code === null) return null
  const v = vocabulary()
  const prefs = new Set(v.postal(code).map((c) => v.cityByCode.get(c)!.prefecture))
  return prefs.size === 1 ? [...prefs][0]! : null
}

/** Normalizes parts or a line; throws AddressError when the address cannot be read. */
export function normalizeAddress(input: AddressInput): NormalizedAddress {
  try {
    return 'line' in input ? fromLine(input) : fromParts(input)
  } catch (err) {
    if (err instanceof AddressError) throw err
    // Anything else is input the engine cannot read (a 30-digit 条 number, say): refuse the
    // address, never fail the request, the import line or the batch row around it.
    const field = 'line' in input ? 'line' : 'town'
    throw new AddressError(field, 'INVALID', 'the address cannot be read')
  }
}

function fromParts(input: AddressParts): NormalizedAddress {
  const postalCode = postalCodeOf(input.postalCode)
  const cityText = prepareAddress(input.city ?? '').replace(/ /g, '')
  const townText = prepareAddress(input.town ?? '').replace(/ /g, '')
  const blockText = prepareAddress(input.block ?? '')
  if (cityText + townText === '') throw new AddressError('city', 'MISSING', 'the city (市区町村) is required')
  const head = cityText + townText
  let prefecture: string | null = null
  if (input.prefecture !== undefined && input.prefecture.trim() !== '') {
    prefecture = vocabulary().prefectures.get(foldName(input.prefecture)) ?? null
    if (prefecture === null) throw new AddressError('prefecture', 'NOT_DOMESTIC', `not a Japanese prefecture: ${input.prefecture}`)
  } else {
    prefecture = cityAt(foldName(head), 0, null)?.city.prefecture ?? prefectureFromPostal(postalCode)
    if (prefecture === null) throw new AddressError('prefecture', 'MISSING', 'the prefecture (都道府県) is required for this city')
  }
  const split = splitFrom(head + blockText, 0, prefecture, cityText.length)
  if (split === null) throw new AddressError('city', 'UNRECOGNIZED', 'the city (市区町村) cannot be read')
  const room = input.room !== undefined && input.room.trim() !== '' ? canonicalRoom(prepare(input.room)) : undefined
  const building = input.building !== undefined && input.building.trim() !== '' ? prepare(input.building) : undefined
  if (split.numbers.length === 0 && blockText === '') {
    throw new AddressError('block', 'MISSING', 'the block (丁目・番地・号) is required')
  }
  return finish(split, postalCode, room, building)
}

function fromLine(input: AddressLine): NormalizedAddress {
  let text = prepareAddress(input.line)
  let postalCode = postalCodeOf(input.postalCode)
  const postal = POSTAL.exec(text)
  if (postal !== null) {
    postalCode ??= postal[1]! + postal[2]!
    text = text.slice(postal[0].length)
  }
  if (text === '') throw new AddressError('line', 'MISSING', 'the address line is empty')
  const f = foldName(text.slice(0, 8))
  const pref = prefectureAt(f)
  let prefecture = pref?.name ?? null
  const start = pref?.length ?? 0
  if (prefecture === null) {
    prefecture = cityAt(foldName(text.slice(0, 24)), 0, null)?.city.prefecture ?? null
    if (prefecture === null && isForeign(text)) throw new AddressError('line', 'NOT_DOMESTIC', 'not a Japanese address')
    prefecture ??= prefectureFromPostal(postalCode)
    if (prefecture === null) throw new AddressError('prefecture', 'MISSING', 'the prefecture (都道府県) cannot be told')
  }
  const split = splitFrom(text, start, prefecture)
  if (split === null) throw new AddressError('city', 'UNRECOGNIZED', 'the city (市区町村) cannot be read')
  return finish(split, postalCode, undefined, undefined)
}

function finish(split: Split, postalCode: string | null, room?: string | null, building?: string): NormalizedAddress {
  if (split.numbers.length === 0) {
    throw new AddressError('block', 'BLOCK_WITHOUT_NUMBER', 'the block (丁目・番地・号) has no number')
  }
  const prefecture = split.prefecture!
  const rest = splitRoom(split.rest)
  const roomKey = room !== undefined ? room : rest.room
  const restBuilding = room !== undefined ? split.rest.trim() || null : rest.building
  const cityKey = prefecture + (split.city?.key ?? foldName(split.cityText))
  const townKey = cityKey + split.town
  const block = split.numbers.join('-')
  const matchKey = `${townKey}#${block}`
  const readings = readingsOf(townKey, split.numbers, roomKey)
  return {
    postalCode,
    prefecture,
    city: split.city?.name ?? split.cityText,
    town: split.town,
    block,
    room: roomKey,
    building: building ?? restBuilding,
    matchKey,
    roomKey,
    cityKey,
    townKey,
    readings,
    lookupKeys: [...new Set(readings.map((r) => r.matchKey))],
  }
}

/**
 * Whether the last block number may be a room: with four numbers or more (1-2-3-101), or a last
 * number of three digits or more (123-4-101). Not 5-6-7 against 5-6: 丁目-番-号 is no room.
 */
export function trailingRoomPlausible(numbers: readonly string[]): boolean {
  const last = numbers[numbers.length - 1] ?? ''
  return numbers.length >= 4 || (numbers.length >= 2 && /^[0-9]{3,}$/.test(last))
}

// Readings: 1-2-3-101 against a record 1-2-3 reads the trailing number as the room; and a record
// written 1-2-3-101 with no room is found by the query 1-2-3 room 101.
function readingsOf(townKey: string, numbers: string[], roomKey: string | null): AddressReading[] {
  const readings: AddressReading[] = [{ matchKey: `${townKey}#${numbers.join('-')}`, roomKey, kind: 'primary' }]
  const last = numbers[numbers.length - 1]!
  if (trailingRoomPlausible(numbers) && (roomKey === null || roomKey === last)) {
    readings.push({ matchKey: `${townKey}#${numbers.slice(0, -1).join('-')}`, roomKey: last, kind: 'trailing-room' })
  }
  if (roomKey !== null && /^[0-9]+$/.test(roomKey)) {
    readings.push({ matchKey: `${townKey}#${numbers.join('-')}-${roomKey}`, roomKey: null, kind: 'room-in-block' })
  }
  return readings
}
