// The README's table of the rule vocabulary is the checker's: every path the CEL environment
// declares is a row with its type, and the README names no path the checker does not know.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { VOCABULARY } from '../src/domain/rules/cel.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const rows = new Map([...README.matchAll(/^\| `([a-zA-Z0-9.[\]]+)` \| ([^|]+?) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]))

t.test('every vocabulary path is in the README with its type', async (t) => {
  t.ok(VOCABULARY.length > 50)
  for (const v of VOCABULARY) t.equal(rows.get(v.name), `${v.type}${v.optional ? ' (optional)' : ''}`, v.name)
})

t.test('the README documents no path the checker does not declare', async (t) => {
  const declared = new Set(VOCABULARY.map((v) => v.name))
  const roots = new Set(['order', 'identities', 'features', 'reasons', 'score', 'hour', 'lists'])
  const unknown = [...rows.keys()].filter((name) => roots.has(name.split(/[.[]/)[0]!) && !declared.has(name))
  t.same(unknown, [])
})
