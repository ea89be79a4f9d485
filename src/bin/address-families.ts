// Prints each address family's pass rate on test/fixtures/address-families.json (real published
// addresses written the ways people write them), split by where the spelling starts (prefecture,
// city, or below the city), then the normalizer's addresses/s on one core over a fresh corpus:
//   npx tsx src/bin/address-families.ts [--failures]
import { readFileSync } from 'node:fs'
import { normalizeAddress } from '../domain/address/normalize.js'
import { foldName } from '../domain/address/text.js'

type Case = { family: string; input: string; start: string; source: string; expected: { prefecture: string; city: string; town: string; block: string } }
const cases = JSON.parse(readFileSync(new URL('../../test/fixtures/address-families.json', import.meta.url), 'utf8')) as Case[]
const showFailures = process.argv.includes('--failures')

function reads(c: Case): string | null {
  try {
    const a = normalizeAddress({ line: c.input })
    const e = c.expected
    const ok = a.prefecture === e.prefecture && foldName(a.city) === foldName(e.city) && a.town === foldName(e.town) && a.block === e.block
    return ok ? null : `${a.prefecture}|${a.city}|${a.town}|${a.block}`
  } catch (err) {
    return `! ${(err as Error).message}`
  }
}

const tally = new Map<string, { pass: number; total: number }>()
for (const c of cases) {
  const got = reads(c)
  for (const key of [c.family, `start=${c.start === 'below-city' ? 'below-city' : 'prefecture-or-city'}`]) {
    const t = tally.get(key) ?? { pass: 0, total: 0 }
    t.total++
    if (got === null) t.pass++
    tally.set(key, t)
  }
  if (got !== null && showFailures) console.log(`  ✗ ${c.family} ${c.input} → ${got}`)
}
for (const [key, t] of tally) console.log(`${key.padEnd(28)} ${t.pass}/${t.total} (${((t.pass / t.total) * 100).toFixed(1)} %)`)

// Throughput, cold: every address distinct (the block numbers vary), so no cache is reused.
const N = 200_000
const inputs = Array.from({ length: N }, (_, i) => ({ line: cases[i % cases.length]!.input.replace(/[0-9]+/, String(1 + (i % 97) + Math.floor(i / cases.length) * 0)) + `-${Math.floor(i / cases.length) + 1}` }))
normalizeAddress({ line: '東京都渋谷区道玄坂1-2-3' }) // loads the vocabulary outside the timing
const start = process.hrtime.bigint()
let refused = 0
for (const input of inputs) {
  try {
    normalizeAddress(input)
  } catch {
    refused++
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
console.log(`throughput: ${Math.round(N / seconds)} addresses/s over ${N} distinct lines (${refused} refused)`)
