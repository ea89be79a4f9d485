// Real places to generate synthetic addresses in: the prefecture / city / town triples of the
// Geolonia normalizer's test corpus, kept only where shinsa's own normalizer reads them, one per
// normalized town key and 丁目. The normalizer checks cities against its vocabulary, so made-up
// names would measure its refusals, not its work.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'

export const CORPUS = fileURLToPath(new URL('../../../test/fixtures/geolonia/v3_addresses.csv', import.meta.url))

export type Place = {
  prefecture: string
  city: string
  /** As the corpus writes it, without its 丁目: 奈佐原 (from 奈佐原二丁目). */
  town: string
  /** The 丁目 number, which becomes the block's first number; null when the town has none. */
  chome: number | null
  townKey: string
}

export type Places = {
  /** Towns the store is filled with. */
  stored: Place[]
  /** Towns kept out of the store (whole town keys), for queries whose town is not found. */
  heldOut: Place[]
}

const DIGITS = '一二三四五六七八九'

/** 一 … 九十九 → 1 … 99 (丁目 numbers in the corpus stay well under that). */
function kanjiNumber (text: string): number | null {
  const m = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text)
  if (m === null || text === '') return null
  const digit = (c: string) => DIGITS.indexOf(c) + 1 // '' → 0
  if (m[2] === '') return digit(m[1]!)
  return (m[1] === '' ? 1 : digit(m[1]!)) * 10 + digit(m[3]!)
}

/** Reads the corpus; every `holdOutEvery`-th distinct town key is kept out of the store. */
export function loadPlaces (holdOutEvery = 40): Places {
  const seen = new Set<string>()
  const byTown = new Map<string, Place[]>()
  for (const line of readFileSync(CORPUS, 'utf8').split('\n').slice(1)) {
    // The first four columns are never quoted in this file (a quoted field later holds a comma).
    const [, prefecture, city, townField] = line.split(',')
    if (prefecture === undefined || city === undefined || townField === undefined || townField === '') continue
    // 丁目, or 丁 alone as Sakai writes it (南花田口町二丁).
    const m = /^(.+?)([一二三四五六七八九十]+)丁目?$/.exec(townField)
    const chome = m === null ? null : kanjiNumber(m[2]!)
    const town = m === null || chome === null ? townField : m[1]!
    const block = chome === null ? '7-8' : `${chome}-7-8`
    let townKey: string
    try {
      const n = normalizeAddress({ prefecture, city, town, block })
      // A town whose name the normalizer reads a block number out of (若狭テクノバレー１号 → block 1)
      // would fold every generated block into one key: the expected counts would not hold.
      if (n.matchKey !== `${n.townKey}#${block}`) continue
      townKey = n.townKey
    } catch {
      continue // a place the normalizer does not read: no use for generating valid rows
    }
    const key = `${townKey}#${chome ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    const group = byTown.get(townKey) ?? []
    group.push({ prefecture, city, town, chome, townKey })
    byTown.set(townKey, group)
  }
  const places: Places = { stored: [], heldOut: [] }
  let n = 0
  for (const group of byTown.values()) (++n % holdOutEvery === 0 ? places.heldOut : places.stored).push(...group)
  if (places.stored.length < 100 || places.heldOut.length === 0) throw new Error(`${CORPUS}: too few readable places`)
  return places
}
