// Splits address text into prefecture, city, town, block numbers and the rest (building, room),
// using the vocabulary for where the city and town end and rules for where the block begins.
import { number2kanji } from '@geolonia/japanese-numeral'
import { kanjiRunIsNumber, parseBlock } from './numbers.js'
import { fold, isDigit, isKanjiNumeral } from './text.js'
import { numberedTown, repairTown } from './town-repair.js'
import { vocabulary, type City } from './vocabulary.js'

export type Split = {
  prefecture: string | null
  city: City | null // null: not in the vocabulary (then cityText is the written city)
  cityText: string
  town: string // folded, 大字/字 dropped, 丁目 moved out
  numbers: string[]
  rest: string // prepared text after the block: building and room
}

/** The prefecture written at the start of folded text f, with its length. */
export function prefectureAt(f: string): { name: string; length: number } | null {
  const { prefectures } = vocabulary()
  for (let len = 4; len >= 2; len--) {
    const name = prefectures.get(f.slice(0, len))
    if (name === undefined) continue
    // A bare 京都 or 大阪 may be the start of 京都市: accept it only if a city of it follows.
    if (!/[都道府県]$/.test(f.slice(0, len)) && citiesAt(f, len, name).length === 0) continue
    return { name, length: len }
  }
  return null
}

/** The known cities at i (in prefecture, or in any), longest name first, with its length. */
export function citiesAt(f: string, i: number, prefecture: string | null): Array<{ city: City; length: number }> {
  const v = vocabulary()
  for (let len = Math.min(v.cityMaxLength, f.length - i); len >= 2; len--) {
    const list = v.cities.get(f.slice(i, i + len))
    if (list === undefined) continue
    const here = prefecture === null ? list : list.filter((c) => c.prefecture === prefecture)
    if (here.length > 0) return here.map((city) => ({ city, length: len }))
  }
  return []
}

/** One city at i; when the name is shared (府中市: 東京都 and 広島県), the one whose town follows. */
export function cityAt(f: string, i: number, prefecture: string | null): { city: City; length: number } | null {
  const found = citiesAt(f, i, prefecture)
  if (found.length <= 1) return found[0] ?? null
  const withTown = found.filter(({ city, length }) => knownTown(f, i + length, city) !== null)
  return withTown.length === 1 ? withTown[0]! : null
}

// When the vocabulary does not know the city: up to the first 市・区・町・村 (after an optional 郡).
const CITY_FALLBACK = /^(?:[^0-9 ]{1,6}?郡)?[^0-9 ]{1,6}?(?:市[^0-9 ]{1,5}?区|[市区町村])/

/**
 * Splits prepared text p (spaces before the block already removed) from position start, where
 * the city begins. cityLength, when given, is where the writer ended the city (parts input):
 * used only when the vocabulary does not know the city.
 */
export function splitFrom(p: string, start: number, prefecture: string | null, cityLength?: number): Split | null {
  const f = fold(p)
  const found = cityAt(f, start, prefecture)
  const city = found?.city ?? null
  let townStart: number
  let cityText: string
  if (found !== null) {
    townStart = start + found.length
    cityText = found.city.name
  } else {
    const len = cityLength !== undefined && cityLength > 0 ? cityLength : CITY_FALLBACK.exec(f.slice(start))?.[0].length
    if (len === undefined) return null
    townStart = start + len
    cityText = p.slice(start, townStart)
  }
  const town = townAt(f, townStart, city)
  const block = parseBlock(p, town.blockStart)
  let name = town.name
  let numbers = block.numbers
  if (city !== null) [name, numbers] = numberedTown(name, numbers, city)
  return { prefecture: prefecture ?? city?.prefecture ?? null, city, cityText, town: name, numbers, rest: p.slice(block.end) }
}

/** The town from i: a vocabulary town if one starts here, then name text up to the block. */
function townAt(f: string, i: number, city: City | null): { name: string; blockStart: number } {
  // 大字・字 (large/small section markers) are written or not: 大字串本 = 串本.
  let start = i
  if (f.startsWith('大字', start)) start += 2
  else if (f.startsWith('字', start)) start += 1
  const known = knownTown(f, start, city)
  let pos = start + (known?.length ?? 0)
  if (known !== null && f[pos] === '字') pos++ // 串本字XX = 串本XX
  const after = pos
  for (; pos < f.length; pos++) {
    const ch = f[pos]!
    if (isDigit(ch)) break
    if (isKanjiNumeral(ch)) {
      let j = pos
      while (isKanjiNumeral(f[j])) j++
      if (kanjiRunIsNumber(f, j)) break
      pos = j - 1
    }
  }
  let name = (known?.name ?? '') + f.slice(after, pos).replace(/ /g, '').replace(/地割字/g, '地割')
  // 東神楽町14号北1番地: a numbered 号 followed by a name and more numbers is a town (十四号北).
  const go = /^([0-9]+)号(?=[^0-9 \-ー])(?=.*[0-9])/.exec(f.slice(pos))
  if (go !== null && name === '') {
    const rest = townAt(f, pos + go[0].length, null)
    return { name: number2kanji(Number(go[1])) + '号' + rest.name, blockStart: rest.blockStart }
  }
  if (city !== null && name !== '') name = repairTown(name, city, known === null)
  return { name, blockStart: pos }
}

/** The longest vocabulary town of this city at i, not eating a 丁目/番/号 number; 7番町 read as 七番町. */
function knownTown(f: string, i: number, city: City | null): { name: string; length: number } | null {
  if (city === null) return null
  const v = vocabulary()
  const towns = v.towns.get(city.code)
  if (towns === undefined) return null
  let text = f.slice(i, i + v.townMaxLength + 4)
  let shift = 0
  const digits = /^[0-9]+/.exec(text)
  if (digits !== null) {
    const kanji = number2kanji(Number(digits[0]))
    text = kanji + text.slice(digits[0].length)
    shift = digits[0].length - kanji.length
  }
  for (let len = Math.min(v.townMaxLength, text.length); len >= 1; len--) {
    const name = text.slice(0, len)
    if (!towns.has(name)) continue
    if (isKanjiNumeral(text[len - 1]) && '丁番号-の'.includes(text[len] ?? '×')) continue
    if (digits !== null && len <= digits[0].length - shift) return null
    return { name, length: len + shift }
  }
  return null
}
