// The real process over a real socket: server.ts listens, answers through undici, and on
// SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0.
import t from 'tap'
import { PGLITE_EXTENSIONS } from '../src/db/connect.js'
import { spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { PGlite } from '@electric-sql/pglite'
import { ADMIN_TOKEN, freshDatabase, usingPostgres } from './helper.js'

t.test('listens, answers, and shuts down gracefully on SIGTERM', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'shinsa-server-'))
  const db = usingPostgres ? await freshDatabase() : undefined
  t.teardown(async () => {
    await db?.drop()
    await rm(dataDir, { recursive: true, force: true })
  })

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHINSA_ADMIN_TOKEN: ADMIN_TOKEN,
      SHINSA_DATA_DIR: dataDir,
      ...(db?.url !== undefined ? { DATABASE_URL: db.url } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (b: Buffer) => { output += b.toString() })
  child.stderr.on('data', (b: Buffer) => { output += b.toString() })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })

  let base = ''
  for (let i = 0; i < 600 && base === ''; i++) {
    base = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? ''
    if (base === '') await sleep(100)
  }
  t.ok(base !== '', `server listening (${base})`)

  const health = await request(`${base}/healthz`)
  t.equal(health.statusCode, 200)
  t.same(await health.body.json(), { status: 'ok' })
  t.match(health.headers['x-request-id'], /^[0-9a-f-]{36}$/)

  // A request in flight when SIGTERM arrives: its body trickles in over ~600 ms.
  const payload = Buffer.from(JSON.stringify({ name: '出荷前の商店' }))
  async function * slowBody () {
    for (let i = 0; i < payload.length; i += 4) {
      yield payload.subarray(i, i + 4)
      await sleep(600 / (payload.length / 4))
    }
  }
  const inFlight = request(`${base}/v1/merchants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'content-length': String(payload.length) },
    body: Readable.from(slowBody()),
  })
  await sleep(150)
  child.kill('SIGTERM')

  const answered = await inFlight
  const raw = answered.statusCode === 201 ? '' : await answered.body.text()
  t.equal(answered.statusCode, 201, `the in-flight request completes ${raw}`)
  const merchant = await answered.body.json() as { id: string; name: string }
  t.equal(merchant.name, '出荷前の商店')

  t.equal(await exited, 0, 'exits cleanly')
  await t.rejects(request(`${base}/healthz`), { code: 'ECONNREFUSED' }, 'no longer accepting')
  t.match(output, /"signal":"SIGTERM".*"msg":"shutting down"/)

  if (!usingPostgres) {
    // The embedded database was closed cleanly: it reopens with the merchant in it.
    const reopened = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS })
    const { rows } = await reopened.query<{ name: string }>('select name from merchants where id = $1', [merchant.id])
    t.same(rows, [{ name: '出荷前の商店' }])
    await reopened.close()
  }
})

t.test('a bad environment stops start-up with one line naming the variable', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  t.equal(code, 1)
  t.equal(stderr.trim(), 'Invalid configuration: PORT must be an integer port from 0 to 65535 (got "eighty")')
})
