// The geolonia corpus: the normalizer reads each written address as the corpus expects it
// (prefecture, city, town, block), and the written and the split form give the same keys.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { agreement, casesFromCsv, casesFromJson, type Normalizer } from '../../../src/domain/address/agreement.js'
import { AddressError, normalizeAddress } from '../../../src/domain/address/normalize.js'

const dir = new URL('../../fixtures/geolonia/', import.meta.url)
const csv = casesFromCsv(readFileSync(new URL('v3_addresses.csv', dir), 'utf8'))
const json = casesFromJson(readFileSync(new URL('v2.9.2_main_test_cases.json', dir), 'utf8'))

t.test('the vendored corpus is whole (the counts SOURCE.md gives)', async (t) => {
  t.equal(csv.length, 7191)
  t.equal(json.length, 176)
  t.ok(csv.every((c) => c.written !== '' && c.parts.prefecture !== ''), 'every CSV row has a written form and a prefecture')
})

// Not 100 %: some rows carry the library's own guesses (府中市宮西町 split without its town), and
// the v2 cases keep town names this normalizer reads as numbers (礎町通一ノ町 = 礎町通 1-…).
for (const [file, cases, floor] of [['v3_addresses.csv', csv, 0.995], ['v2.9.2_main_test_cases.json', json, 0.8]] as const) {
  t.test(file, async (t) => {
    const a = agreement(cases)
    t.ok(a.ratio >= floor, `${(a.ratio * 100).toFixed(2)} % agree; first disagreements: ${JSON.stringify(a.disagreements.slice(0, 3))}`)
  })
}

t.test('the measure can fail', async (t) => {
  const sample = csv.slice(0, 500)
  const rejectAll: Normalizer = () => {
    throw new AddressError('line', 'UNRECOGNIZED', 'rejects everything')
  }
  const rejected = agreement(sample, rejectAll)
  t.equal(rejected.ratio, 0, 'a normalizer that refuses everything agrees on nothing')
  t.equal(rejected.bothRejected, 500)

  const tokyo = normalizeAddress({ line: '東京都渋谷区道玄坂1-2-3' })
  t.ok(agreement(sample, () => tokyo).ratio < 0.05, 'one answer for every address agrees on almost nothing')

  // Mutated: the block loses its last number, the same way for the line and the parts.
  const dropLast: Normalizer = (input) => {
    const a = normalizeAddress(input)
    const block = a.block.split('-').slice(0, -1).join('-')
    return { ...a, block, matchKey: `${a.townKey}#${block}` }
  }
  t.ok(agreement(sample, dropLast).ratio < 0.2, 'a normalizer that drops a number agrees rarely')

  // Mutated: the city is dropped from the answer (the keys stay whole).
  const noCity: Normalizer = (input) => ({ ...normalizeAddress(input), city: '' })
  t.ok(agreement(sample, noCity).ratio < 0.05, 'a normalizer that loses the city agrees on almost nothing')
})
