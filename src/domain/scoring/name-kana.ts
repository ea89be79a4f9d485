// How kana are compared when a furigana is checked against a name's readings: sequential voicing
// (連濁), small and old kana, ヅ/ズ and ヂ/ジ, and long vowels written three ways (サトウ サトー サトオ).

/** Hiragana to katakana; anything else as it is. */
export const katakana = (s: string): string => !/[ぁ-ゖゝゞ]/.test(s) ? s : s.replace(/[ぁ-ゖゝゞ]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))

// Sequential voicing (連濁): a kanji after another may voice its first kana, 田 タ in 山田 ヤマダ.
export const VOICED: Record<string, string> = {}
for (const [plain, voiced] of [['カキクケコサシスセソタチツテトハヒフヘホ', 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ'], ['ハヒフヘホ', 'パピプペポ']] as const) {
  for (let i = 0; i < plain.length; i++) VOICED[plain[i]!] = (VOICED[plain[i]!] ?? '') + voiced[i]!
}
const UNVOICED: Record<string, string> = {}
for (const [plain, voiced] of Object.entries(VOICED)) for (const v of voiced) UNVOICED[v] = plain
/** The reading with its first kana unvoiced (ダ → タ), or null if it was not voiced. */
export const unvoiced = (r: string): string | null => UNVOICED[r[0]!] === undefined ? null : UNVOICED[r[0]!] + r.slice(1)

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

export type Kana = { raw: string; folded: string[]; vowels: string[] }

export function kanaOf(raw: string): Kana {
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
export function readsAt(r: string, k: Kana, j: number, voice: boolean, geminate: boolean, anyVoicing = false): boolean {
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
