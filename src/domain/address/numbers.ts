// Numbers in the block position (丁目・番地・号): 1-2-3, 1丁目2番地3号, 一丁目二番三号, 1の2の3,
// 千二百三十四 … read into plain decimal strings. Numbers inside names are not read here.
import { kanji2number, number2kanji } from '@geolonia/japanese-numeral'
import { isDigit, isKanjiNumeral, isNumeral } from './text.js'

export type Block = { numbers: string[]; end: number }

/** Reads one number (Arabic digits or a kanji numeral run) at i. */
export function readNumber(s: string, i: number): { value: string; end: number } | null {
  let j = i
  if (isDigit(s[i])) {
    while (isDigit(s[j])) j++
    return { value: String(Number(s.slice(i, j))), end: j }
  }
  while (isKanjiNumeral(s[j])) j++
  if (j === i) return null
  const value = kanjiValue(s.slice(i, j))
  return value === null ? null : { value, end: j }
}

// kanji2number is slow next to the rest; the numerals of addresses are few, so remember them.
const kanjiValues = new Map<string, string | null>()
function kanjiValue(kanji: string): string | null {
  let value = kanjiValues.get(kanji)
  if (value === undefined) {
    try {
      value = String(kanji2number(kanji))
    } catch {
      value = null
    }
    if (kanjiValues.size < 10_000) kanjiValues.set(kanji, value)
  }
  return value
}

// Words that close a number: 丁目 (chōme), 番地/番 (banchi), 号 (gō).
const WORDS = ['丁目', '番地', '番', '丁', '号'] as const
const SEPARATORS = '-ーの'
const LETTERED = 'ABCDEFGHイロハニホヘト'

function wordAt(s: string, i: number): string | undefined {
  for (const w of WORDS) if (s.startsWith(w, i)) return w
  return undefined
}

/**
 * Whether a kanji numeral run s[i, j) starts the block rather than being part of a name
 * (一ツ橋, 三軒茶屋, 八丁堀, 一番町 are names; 一丁目, 二番三号, 一の二, a final 千二百 are not).
 */
export function kanjiRunIsNumber(s: string, j: number): boolean {
  const next = s[j]
  if (next === undefined) return true
  const after = s[j + 1]
  if (s.startsWith('丁目', j) || s.startsWith('番地', j)) return true
  if (next === '丁') return isNumeral(after)
  if (next === '番') return after === undefined || after === ' ' || isNumeral(after) || SEPARATORS.includes(after)
  if (next === '号') return after === undefined || after === ' ' || isNumeral(after) || after === '-'
  if (SEPARATORS.includes(next)) return isNumeral(after)
  return false
}

/** Reads the block's numbers from i; stops at the first thing that is not part of it. */
export function parseBlock(s: string, i: number): Block {
  const numbers: string[] = []
  let pos = i
  let letter = ''
  for (;;) {
    const n = readNumber(s, pos)
    if (n === null) break
    numbers.push(letter + n.value)
    pos = n.end
    const word = wordAt(s, pos)
    if (word === '号') {
      pos += 1
      break
    }
    let next = pos
    let separated = false
    if (word !== undefined) {
      if (word === '丁' && !isNumeral(s[pos + 1])) break
      next = pos + word.length
      pos = next // a closing word belongs to the block even when nothing follows
      if (SEPARATORS.includes(s[next] ?? '×') && isNumeral(s[next + 1])) next++ // 番地の2, 丁目-2
    } else if (SEPARATORS.includes(s[pos] ?? '×')) {
      next = pos + 1
      separated = true
    } else break
    while (s[next] === ' ') next++
    // 14-イ22, 14-A22: a lettered 番地 after a separator keeps its letter.
    letter = separated && LETTERED.includes(s[next] ?? '×') && isNumeral(s[next + 1]) ? s[next]! : ''
    if (letter !== '') next++
    if (!isNumeral(s[next])) break
    pos = next
  }
  return { numbers, end: pos }
}

/**
 * Numbers that are part of a name become kanji, as the vocabulary writes them: Hokkaido's 条・線
 * (南1条西 = 南一条西), 地割 (第1地割), 番町・番丁 and ノ町 (7番町 = 七番丁, 礎町通1ノ町); and the
 * 番丁/番町 and 町目/丁目 spellings are made one.
 */
export function numbersInNames(s: string): string {
  return s
    .replace(/([0-9]+)(条|線|地割|番町|番丁|ノ町|の町)/g, (_, n: string, unit: string) => number2kanji(Number(n)) + unit)
    .replace(/番丁/g, '番町')
    .replace(/([〇一二三四五六七八九十壱弐参拾0-9])町目/g, '$1丁目')
}
