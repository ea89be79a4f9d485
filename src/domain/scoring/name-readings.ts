// Whether a furigana (フリガナ) can be a reading of a Japanese name, for KANA_MISMATCH: the name cut
// into dictionary names and single kanji (name-dictionary.ts), read against the kana as
// name-kana.ts compares them.
import { HAN, nameTable, type NameTable } from './name-dictionary.js'
import { kanaOf, katakana, readsAt, type Kana } from './name-kana.js'

// 12 kanji is longer than any real name; the search is (name × kana) states, so this bounds it.
const MAX_NAME = 12
const MAX_KANA = 36

/** Readings of the one-character segment at `i`: a kanji's, kana itself, 々 the kanji before, ヶ ケ/カ/ガ. */
function charReadings(t: NameTable, part: string[], i: number): string[] {
  const c = part[i]!
  if (c === '々') return i > 0 ? charReadings(t, part, i - 1) : []
  if (c === 'ヶ' || c === 'ヵ' || c === 'ケ') return ['ケ', 'カ', 'ガ']
  if (!HAN.test(c)) return [c]
  return t.chars.get(c)?.split('|') ?? []
}

const wordReadings = (t: NameTable, w: string): string[] =>
  [...(t.family.get(w)?.split('|') ?? []), ...(t.given.get(w)?.split('|') ?? [])]

/**
 * Kana positions where reading `part` can end, starting at any of `from`: the part cut into
 * dictionary names and single characters, or (`strict`) read whole as the dictionary says, give
 * or take voicing: dictionaries list 山崎 as ヤマサキ and ヤマザキ, but 川島 only as カワシマ.
 * Each (character, kana) position is visited once, so the work is bounded by their product.
 */
function readsTo(t: NameTable, part: string[], k: Kana, from: number[], strict: boolean): number[] {
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
  const t = nameTable()
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
function coveredByWord(t: NameTable, chars: string[], i: number): boolean {
  for (let a = 0; a <= i; a++) {
    for (let b = i + 1; b <= chars.length; b++) if (b - a > 1 && wordReadings(t, chars.slice(a, b).join('')).length > 0) return true
  }
  return false
}
