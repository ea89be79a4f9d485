// Character-level folding of Japanese address text: width, dashes, spaces, and the spelling
// variants (ケ/ヶ/ガ, ノ/の/之, old/new kanji) that make one place look like many.
import { KANJI_VARIANTS } from './kanji-variants.js'

// Dash look-alikes people type between numbers (－ and ｰ become - and ー under NFKC first).
const DASHES = /[‐‑‒–—―−﹣⁃─━]/g
const SPACES = /\s+/g

/** NFKC (full/half width), one kind of dash, single spaces, trimmed. */
export function prepare(text: string): string {
  return text.normalize('NFKC').replace(DASHES, '-').replace(SPACES, ' ').trim()
}

// One spelling for each variant, char for char so that folded and prepared text stay aligned
// (the line splitter finds positions in the folded text and cuts the prepared one).
const FOLD = new Map<string, string>([
  // ヶ (small ke), ケ, ガ and が are the same particle in place names: 霞ヶ関 = 霞ケ関 = 霞が関.
  ['ヶ', 'ケ'], ['ガ', 'ケ'], ['が', 'ケ'], ['ゖ', 'ケ'],
  // ノ, の and 之 likewise: 松ノ内 = 松の内, 一之江 = 一の江.
  ['ノ', 'の'], ['之', 'の'],
  ...KANJI_VARIANTS,
])

/** Folds variant spellings to one; the result has exactly the length of the input. */
export function fold(text: string): string {
  let out = ''
  let last = 0
  for (let i = 0; i < text.length; i++) {
    const to = FOLD.get(text[i]!)
    if (to !== undefined) {
      out += text.slice(last, i) + to
      last = i + 1
    }
  }
  return last === 0 ? text : out + text.slice(last)
}

/** A name as a key: prepared, folded, no spaces. */
export function foldName(text: string): string {
  return fold(prepare(text)).replace(/ /g, '')
}

export const ARABIC_DIGIT = /[0-9]/
export const KANJI_NUMERAL = /[〇一二三四五六七八九十百千壱弐参拾]/

export function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9'
}

export function isKanjiNumeral(ch: string | undefined): boolean {
  return ch !== undefined && '〇一二三四五六七八九十百千壱弐参拾'.includes(ch)
}

export function isNumeral(ch: string | undefined): boolean {
  return isDigit(ch) || isKanjiNumeral(ch)
}
