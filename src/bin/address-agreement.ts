// Prints how often each corpus address is read as the corpus expects (and its written and split
// forms give the same keys), per file, with a sample of the disagreements: npx tsx src/bin/address-agreement.ts
import { readFileSync } from 'node:fs'
import { agreement, casesFromCsv, casesFromJson, type CorpusCase } from '../domain/address/agreement.js'

const dir = new URL('../../test/fixtures/geolonia/', import.meta.url)
const sample = Number(process.argv[2] ?? 15)
const files: Array<[string, (text: string) => CorpusCase[]]> = [
  ['v3_addresses.csv', casesFromCsv],
  ['v2.9.2_main_test_cases.json', casesFromJson],
]

for (const [file, read] of files) {
  const a = agreement(read(readFileSync(new URL(file, dir), 'utf8')))
  const pct = (a.ratio * 100).toFixed(2)
  console.log(`${file}: ${a.agreed}/${a.total} agree (${pct} %), ${a.bothRejected} refused both ways`)
  for (const d of a.disagreements.slice(0, sample)) {
    console.log(`  ${d.written}\n    line:  ${d.line}\n    split: ${d.split}  ${JSON.stringify(d.parts)}`)
  }
}
