// BIN keys: 6 to 8 digits, whatever the spacing and width; shorter BINs a longer one falls under.
import t from 'tap'
import { binPrefixes, canonicalBin } from '../../../src/domain/identity/card-bin.js'

// [typed, BIN]
const bins: Array<[string, string | null]> = [
  ['456789', '456789'],
  ['4567890', '4567890'],
  ['45678901', '45678901'],
  ['4567 8901', '45678901'],
  ['4567-89', '456789'],
  [' 456789 ', '456789'],
  ['４５６７８９０１', '45678901'],
  ['４５６７－８９', '456789'],
  ['4567–8901', '45678901'],
  // Too short, too long (a whole card number is refused, never stored), not digits.
  ['', null], ['12345', null], ['123456789', null], ['4111 1111 1111 1111', null],
  ['45678x', null], ['4567.89', null], ['4567/89', null],
]

for (const [typed, expected] of bins) {
  t.test(`canonicalBin ${JSON.stringify(typed)}`, async (t) => {
    t.equal(canonicalBin(typed), expected)
  })
}

// [BIN, prefixes]
const prefixes: Array<[string, string[]]> = [
  ['456789', ['456789']],
  ['4567890', ['456789', '4567890']],
  ['45678901', ['456789', '4567890', '45678901']],
  ['12345', []],
]

for (const [bin, expected] of prefixes) {
  t.test(`binPrefixes ${bin}`, async (t) => {
    t.same(binPrefixes(bin), expected)
  })
}

t.test('a 6-digit entry is among the prefixes of an 8-digit BIN, not the reverse', async (t) => {
  t.ok(binPrefixes('45678901').includes('456789'))
  t.notOk(binPrefixes('456789').includes('45678901'))
})
