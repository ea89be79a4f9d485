// `npm run import` as a user runs it: a child process on its own database (an embedded data dir,
// or a PostgreSQL clone when DATABASE_URL is set), checked by reopening that database afterwards.
import t from 'tap'
import { PGLITE_EXTENSIONS } from '../../src/db/connect.js'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import iconv from 'iconv-lite'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import type { Test } from 'tap'
import { freshDatabase, usingPostgres } from '../helper.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const EXAMPLE = path.join(ROOT, 'examples/fraud-addresses.csv')
const HEADER = 'issuer,reported_on,prefecture,city,town,block,room,building'

type Target = { env: Record<string, string>; query: <R>(text: string) => Promise<R[]>; dir: string }

/** A database of the test's own, as the CLI's environment plus a way to look inside afterwards. */
async function target (t: Test): Promise<Target> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shinsa-import-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  if (usingPostgres) {
    const db = await freshDatabase()
    t.teardown(db.drop)
    return {
      dir,
      env: { DATABASE_URL: db.url!, SHINSA_DATA_DIR: path.join(dir, 'unused') },
      query: async <R>(text: string) => {
        const client = new pg.Client({ connectionString: db.url })
        await client.connect()
        try { return (await client.query(text)).rows as R[] } finally { await client.end() }
      },
    }
  }
  const dataDir = path.join(dir, 'data')
  return {
    dir,
    env: { SHINSA_DATA_DIR: dataDir },
    // Only between runs: the embedded database admits one process at a time.
    query: async <R>(text: string) => {
      const pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS })
      try { return (await pglite.query<R>(text)).rows } finally { await pglite.close() }
    },
  }
}

type Run = { code: number | null; stdout: string; stderr: string }

function runCli (args: string[], env: Record<string, string>): Promise<Run> {
  // Only what the test gives: a DATABASE_URL in the runner's environment must not leak in.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/import-fraud-addresses.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString() })
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const noStack = (t: Test, run: Run) => t.notMatch(run.stderr, /^\s+at /m, 'no stack trace')

t.test('imports the example file, and a second run finds only duplicates', async (t) => {
  const db = await target(t)
  const first = await runCli([EXAMPLE], db.env)
  t.equal(first.code, 0, first.stderr)
  t.equal(first.stderr, '', 'a small file, not on a terminal: no progress output')
  t.match(first.stdout, /^import [0-9a-f-]{36} done: fraud-addresses\.csv \(utf-8\)\n/)
  t.match(first.stdout, /lines {7}20\n {2}inserted {4}19\n {2}duplicates {2}0\n {2}rejected {4}1\n/)
  t.match(first.stdout, /rejected lines:\n {2}line 12 {2}reported_on: is in the future\n$/)

  const second = await runCli([EXAMPLE, '--name', 'again'], db.env)
  t.equal(second.code, 0, second.stderr)
  t.match(second.stdout, /^import [0-9a-f-]{36} done: again \(utf-8\)\n/)
  t.match(second.stdout, /inserted {4}0\n {2}duplicates {2}19\n {2}rejected {4}1\n/)

  const imports = await db.query<{ name: string; status: string; inserted: number; duplicates: number }>(
    'select name, status, inserted, duplicates from fraud_address_imports order by started_at')
  t.same(imports, [
    { name: 'fraud-addresses.csv', status: 'done', inserted: 19, duplicates: 0 },
    { name: 'again', status: 'done', inserted: 0, duplicates: 19 },
  ])
  const [count] = await db.query<{ n: string }>('select count(*)::text as n from fraud_addresses')
  t.equal(count?.n, '19', 'stored once')
  // Two issuers report 道玄坂 1-2-3 room 202, spelt differently: one match key, two rows.
  const dogenzaka = await db.query<{ issuer: string; block: string; room_key: string }>(
    "select issuer, block, room_key from fraud_addresses where match_key = '東京都渋谷区道玄坂#1-2-3' order by issuer")
  t.same(dogenzaka, [
    { issuer: 'あおばクレジット', block: '1丁目2番3号', room_key: '202' },
    { issuer: 'みどりカード', block: '1-2-3', room_key: '202' },
  ])
})

t.test('Shift_JIS, in small chunks, lands the same', async (t) => {
  const db = await target(t)
  const file = path.join(db.dir, 'issuer-sjis.csv')
  await writeFile(file, iconv.encode(await readFile(EXAMPLE, 'utf8'), 'cp932'))
  const run = await runCli([file, '--chunk-size', '3'], db.env)
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /done: issuer-sjis\.csv \(shift_jis\)\n/)
  t.match(run.stdout, /inserted {4}19\n {2}duplicates {2}0\n {2}rejected {4}1\n/)
  const [row] = await db.query<{ town: string }>("select town from fraud_addresses where issuer = 'ひかりカード' and city = '姫路市飾磨区'")
  t.equal(row?.town, '恵比酒', 'decoded, not mojibake')
})

t.test('a file with a bad header is refused with one clear line, nothing imported', async (t) => {
  const db = await target(t)
  const file = path.join(db.dir, 'wrong.csv')
  await writeFile(file, 'name,date\nA社,2025-01-01\n')
  const run = await runCli([file], db.env)
  t.equal(run.code, 1)
  t.equal(run.stdout, '')
  t.equal(run.stderr.split('\n')[0], `import failed: The first line must be the header ${HEADER}`)
  t.match(run.stderr, `line 1: is "name,date": expected ${HEADER}`)
  noStack(t, run)
  t.same(await db.query('select id from fraud_address_imports'), [], 'no import record: refused before it began')
})

t.test('refusals before any import: a missing file, a file over the limit, bad options, bad config', async (t) => {
  const db = await target(t)
  const missing = path.join(db.dir, 'nope.csv')
  const cases: Array<[string, string[], Record<string, string>, string | RegExp]> = [
    ['missing file', [missing], {}, `${missing}: no such file`],
    ['over SHINSA_IMPORT_MAX_BYTES', [EXAMPLE], { SHINSA_IMPORT_MAX_BYTES: '1024' }, /^.*fraud-addresses\.csv is \d+ bytes, more than SHINSA_IMPORT_MAX_BYTES \(1024\)$/],
    ['no file', [], {}, 'Give exactly one CSV file to import (see --help)'],
    ['bad chunk size', [EXAMPLE, '--chunk-size', 'lots'], {}, '--chunk-size must be an integer from 1 to 100000 (got "lots")'],
    ['bad config', [EXAMPLE], { SHINSA_MIGRATE_ON_START: 'maybe' }, /^Invalid configuration: SHINSA_MIGRATE_ON_START must be true or false/],
  ]
  for (const [what, args, env, expected] of cases) {
    const run = await runCli(args, { ...db.env, ...env })
    t.equal(run.code, 1, `${what}: exit 1`)
    t.equal(run.stdout, '', `${what}: nothing on stdout`)
    const lines = run.stderr.trimEnd().split('\n')
    t.equal(lines.length, 1, `${what}: one line`)
    if (typeof expected === 'string') t.equal(lines[0], expected, what)
    else t.match(lines[0], expected, what)
  }
})

t.test('--help says the server must not hold the same data dir', async (t) => {
  const run = await runCli(['--help'], { SHINSA_DATA_DIR: 'memory://' })
  t.equal(run.code, 0)
  t.match(run.stdout, /^Usage: npm run import -- FILE/)
  t.match(run.stdout, /one process only: stop the server that uses the same\nSHINSA_DATA_DIR/)
})
