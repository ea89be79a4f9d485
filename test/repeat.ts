// Runs one test file N times in a row against one migrated template, stopping at the first
// failure: for race tests that must pass every time, not once.
//   npx tsx test/repeat.ts 100 test/jobs/webhook-digest-race.test.ts   (DATABASE_URL for PostgreSQL)
// The children are this process's own (node --import tsx), so test/db-template.ts names the
// template after this pid, as it does after tap's runner.
import { spawnSync } from 'node:child_process'

const [count, file] = [Number(process.argv[2]), process.argv[3]]
if (!Number.isInteger(count) || count < 1 || file === undefined) {
  console.error('usage: tsx test/repeat.ts <count> <test file>')
  process.exit(2)
}
const run = (script: string) => spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env: process.env })
const setup = run('test/setup.ts')
if (setup.status !== 0) { console.error(setup.stderr); process.exit(1) }
let passed = 0
try {
  for (let i = 1; i <= count; i++) {
    const r = run(file)
    if (r.status !== 0 || /^\s*not ok/m.test(r.stdout)) {
      console.log(r.stdout.split('\n').filter((l) => /not ok|found|wanted|Error/.test(l)).slice(0, 40).join('\n'))
      console.log(`run ${i}: FAILED (${passed}/${count} passed before it)`)
      process.exitCode = 1
      break
    }
    passed++
    if (i % 10 === 0) console.log(`${i}/${count} passed`)
  }
} finally {
  run('test/teardown.ts')
}
if (passed === count) console.log(`${file}: ${passed}/${count} runs passed in a row (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`)
