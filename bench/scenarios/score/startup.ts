// Start-up and memory: a second server process on the same database (PostgreSQL: the seeded one,
// migrations already applied, as a restart finds it), timed from spawn to /readyz answering 200,
// with its RSS when ready and after a scoring request that reads every dictionary; then stopped.
// PGlite: the bench server holds the directory, so the second one opens an empty memory://
// database, and its start-up includes the migrations.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { apiClient, bootstrap } from '../../lib/api.js'
import { rssMb, stopChild } from '../../lib/proc.js'
import type { BenchContext } from '../../lib/scenario.js'
import { startServer } from '../../lib/server.js'
import { warmupOrder } from './bodies.js'

export type Startup = {
  ms: number
  readyRss: number | undefined
  /** After the warm-up request: every dictionary loaded. */
  warmRss: number | undefined
  /** The first scoring request (dictionaries read on first use), then a second one. */
  firstMs: number
  secondMs: number
  note: string
}

/** Times one scoring request on `api`. */
export async function timedScore (api: ReturnType<typeof apiClient>, apiKey: string, orderId: string): Promise<number> {
  const start = performance.now()
  await api('POST', '/v1/orders/score', { token: apiKey, body: warmupOrder(orderId), expect: 200 })
  return performance.now() - start
}

export async function measureStartup (ctx: BenchContext): Promise<Startup> {
  const postgres = ctx.database.kind === 'postgres'
  const env: Record<string, string> = ctx.database.kind === 'postgres'
    ? { DATABASE_URL: ctx.database.url, SHINSA_ADMIN_TOKEN: ctx.adminToken }
    : { SHINSA_DATA_DIR: 'memory://', SHINSA_ADMIN_TOKEN: ctx.adminToken }
  const start = performance.now()
  const server = await startServer(env, { pollMs: 10 })
  const ms = performance.now() - start
  try {
    const readyRss = await rssMb(server.pid)
    const api = apiClient(server.baseUrl)
    const apiKey = postgres ? ctx.apiKey : (await bootstrap(api, ctx.adminToken)).apiKey
    const firstMs = await timedScore(api, apiKey, 'STARTUP-1')
    const secondMs = await timedScore(api, apiKey, 'STARTUP-2')
    return {
      ms, readyRss, warmRss: await rssMb(server.pid), firstMs, secondMs,
      note: postgres ? 'on the seeded bench database' : 'on an empty memory:// PGlite (the bench one is held by the bench server), migrations included',
    }
  } finally {
    await stopChild(server.child)
  }
}

const READINGS = resolve(import.meta.dirname, '../../../dist/src/domain/scoring/name-dictionary.js')

/**
 * The name-readings table (KANA_MISMATCH's) loaded alone in a bare Node process: what it adds to
 * RSS at its peak and after a full GC, the heap it keeps, and how long it takes — the figure to
 * add to the server's when the route does not reach the table yet.
 */
export type ReadingsCost = { ms: number; peakMb: number; afterGcMb: number; heapMb: number }
export async function nameReadingsCost (): Promise<ReadingsCost | undefined> {
  if (!existsSync(READINGS)) return undefined
  const code = `const { loadNameReadings } = await import(${JSON.stringify(pathToFileURL(READINGS).href)})
    const mb = (bytes) => bytes / 1048576
    gc(); const before = process.memoryUsage(); const start = performance.now(); loadNameReadings()
    const ms = performance.now() - start; const peak = process.memoryUsage().rss; gc(); const after = process.memoryUsage()
    console.log(JSON.stringify({ ms, peakMb: mb(peak - before.rss), afterGcMb: mb(after.rss - before.rss), heapMb: mb(after.heapUsed - before.heapUsed) }))`
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { timeout: 60_000 })
    return JSON.parse(stdout) as ReadingsCost
  } catch {
    return undefined // not built, or no loadNameReadings export any more
  }
}
