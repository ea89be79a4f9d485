// Starts the ceiling child (ceiling-server.ts) on the run's database kind and returns the URL
// to load. A separate process, like the server: an in-process ceiling would share its event
// loop with autocannon and measure lower than it is.
import { fork } from 'node:child_process'
import { resolve } from 'node:path'
import { onCleanup } from './cleanup.js'
import { tempDir, type BenchDatabase } from './database.js'
import { stopChild } from './proc.js'

export type Ceiling = { url: string; pid: number; note: string }

const ROOT = resolve(import.meta.dirname, '../..')
const ENTRY = resolve(import.meta.dirname, 'ceiling-server.ts')

export async function startCeiling (database: BenchDatabase, merchantId: string): Promise<Ceiling> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' }
  let note: string
  if (database.kind === 'postgres') {
    env.CEILING_DATABASE_URL = database.url
    env.CEILING_MERCHANT_ID = merchantId
    note = 'bare Fastify, one pg.Pool(10) lookup by id on the bench database\'s merchants table'
  } else {
    env.CEILING_PGLITE_DIR = await tempDir('shinsa-bench-ceiling-')
    note = 'bare Fastify, one lookup by id on its own PGlite (1,000-row merchants table, separate directory)'
  }
  const child = fork(ENTRY, [], { cwd: ROOT, env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  onCleanup('stop the ceiling', () => stopChild(child))

  const ready = await new Promise<{ port: number; id: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error('the ceiling did not start within 60 s')), 60_000)
    child.once('message', (msg) => { clearTimeout(timer); resolveReady(msg as { port: number; id: string }) })
    child.once('error', (err) => { clearTimeout(timer); reject(err) })
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`the ceiling exited (code ${code}, signal ${signal})`)) })
  })
  if (child.pid === undefined || ready.port === 0 || ready.id === '') throw new Error('the ceiling started without a port or an id')
  return { url: `http://127.0.0.1:${ready.port}/ceiling/${ready.id}`, pid: child.pid, note }
}
