// The geolonia corpus: the written form and the split form of each address give the same keys.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { agreement, casesFromCsv, casesFromJson } from '../../../src/domain/address/agreement.js'

const dir = new URL('../../fixtures/geolonia/', import.meta.url)

t.test('the corpus is the vendored copy in test/fixtures', async (t) => {
  t.match(fileURLToPath(dir), /test\/fixtures\/geolonia\/$/)
})

for (const [file, read] of [['v3_addresses.csv', casesFromCsv], ['v2.9.2_main_test_cases.json', casesFromJson]] as const) {
  t.test(file, async (t) => {
    const a = agreement(read(readFileSync(new URL(file, dir), 'utf8')))
    t.ok(a.total > 100, `${a.total} cases`)
    // Not 100 %: a few rows carry the library's own guesses (see src/bin/address-agreement.ts).
    t.ok(a.ratio >= 0.99, `${(a.ratio * 100).toFixed(2)} % agree; first disagreements: ${JSON.stringify(a.disagreements.slice(0, 3))}`)
  })
}
