// Towns written otherwise than the vocabulary writes them, made the vocabulary's: a number as the
// town's name (三番町), 町 or a prefix left out, Kyoto street directions, kana for a rare kanji.
import { kanji2number, number2kanji } from '@geolonia/japanese-numeral'
import { vocabulary, type City } from './vocabulary.js'

/**
 * A town named by a number (番町, ノ町) is read the same whether the number is written in the
 * name or as the block's first number: 富山市3-1-23 = 三番町1-23 (the vocabulary knows 三番町),
 * 礎町通1-1968 = 礎町通一ノ町1968 (it knows only 礎町通).
 */
export function numberedTown(name: string, numbers: string[], city: City): [string, string[]] {
  const towns = vocabulary().towns.get(city.code)
  if (towns === undefined || towns.has(name)) return [name, numbers]
  const first = numbers[0]
  if (numbers.length >= 2 && first !== undefined && /^[0-9]+$/.test(first)) {
    const named = ['番町', 'の町'].map((unit) => name + number2kanji(Number(first)) + unit).find((t) => towns.has(t))
    if (named !== undefined) return [named, numbers.slice(1)]
  }
  // 札幌市西区24-2-2-3-3 = 二十四軒二条二丁目3-3: a town named by two numbers (…軒…条), unique.
  if (name === '' && numbers.length >= 3 && numbers.slice(0, 2).every((n) => /^[0-9]+$/.test(n))) {
    const [a, b] = numbers.map((n) => number2kanji(Number(n)))
    const re = new RegExp(`^${a}[^〇一二三四五六七八九十]+${b}(条|線)$`)
    const named = [...towns].filter((t) => re.test(t))
    if (named.length === 1) return [named[0]!, numbers.slice(2)]
  }
  const m = /^(.*?)([〇一二三四五六七八九十]+)(番町|の町)$/.exec(name)
  if (m !== null && (m[1] === '' || towns.has(m[1]!))) {
    try {
      return [m[1]!, [String(kanji2number(m[2]!)), ...numbers]]
    } catch {
      return [name, numbers]
    }
  }
  return [name, numbers]
}

// Kyoto's street directions (通り名: 錦小路通大宮東入七軒町) before the registered town name.
const STREET = /通|上る|下る|上ル|下ル|入る|入ル|東入|西入/

/** A town the vocabulary does not know, made one it knows: 町 left out, 四谷 left out, a Kyoto street. */
export function repairTown(name: string, city: City, unknown: boolean): string {
  const towns = vocabulary().towns.get(city.code)
  if (towns === undefined || towns.has(name)) return name
  for (let k = 1; k < name.length; k++) {
    if (STREET.test(name.slice(0, k)) && towns.has(name.slice(k))) return name.slice(k)
  }
  if (!unknown) return name
  for (let k = name.length; k >= 2; k--) {
    const withMachi = name.slice(0, k) + '町' + name.slice(k) // 西小松川 = 西小松川町, 木之本西山 = 木之本町西山
    if (towns.has(withMachi)) return withMachi
  }
  const list = [...towns]
  const longer = name.length >= 3 ? list.filter((t) => t.endsWith(name)) : [] // 三栄町 = 四谷三栄町
  if (longer.length === 1) return longer[0]!
  const mixed = list.filter((t) => kanaForKanji(name, t) || kanaForKanji(t, name)) // くじ野川 = 鬮野川
  return mixed.length === 1 ? mixed[0]! : name
}

/** Whether a writes in hiragana (交ぜ書き) the one kanji b has in the same place: 穝 = さい. */
function kanaForKanji(a: string, b: string): boolean {
  let p = 0
  while (p < a.length && p < b.length && a[p] === b[p]) p++
  let q = 0
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++
  const kana = a.slice(p, a.length - q)
  const kanji = b.slice(p, b.length - q)
  return kanji.length === 1 && /[\u4e00-\u9fff\u3400-\u4dbf]/.test(kanji) && /^[ぁ-ゖ]{1,3}$/.test(kana)
}
