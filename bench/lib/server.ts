// The built shinsa server (dist/src/server.js) as a child process on a free loopback port,
// waited on until GET /readyz answers 200.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { onCleanup } from './cleanup.js'
import { freePort, hasExited, stopChild } from './proc.js'

export type RunningServer = { baseUrl: string; pid: number; child: ChildProcess }

const ENTRY = resolve(import.meta.dirname, '../../dist/src/server.js')

/** Polls `url` every `pollMs` until it answers 200; fails on timeout or when `child` exits first. */
export async function waitForOk (url: string, child: ChildProcess, timeoutMs: number, pollMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer yet'
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`the server exited (code ${child.exitCode}, signal ${child.signalCode}) before ${url} answered`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (res.status === 200) return
      last = `status ${res.status}: ${(await res.text()).slice(0, 200)}`
    } catch (err) {
      last = (err as Error).message
    }
    await sleep(pollMs)
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`)
}

/** `pollMs`: how often readiness is polled (finer when the start-up time is the figure). */
export async function startServer (env: Record<string, string>, opts: { pollMs?: number } = {}): Promise<RunningServer> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build (npm run bench does)`)
  const port = await freePort()
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it exits (on the bench's
  // SIGTERM), to see where a route's time goes (open it in Chrome DevTools or speedscope).
  const profile = process.env.BENCH_CPU_PROF
  const flags = profile !== undefined && profile !== '' ? ['--cpu-prof', '--cpu-prof-dir', resolve(profile)] : []
  const child = spawn(process.execPath, [...flags, ENTRY], {
    // Only what the server needs: an inherited DATABASE_URL must not point it at the wrong database.
    // The bench measures raw throughput from one key: the per-key rate limit and load shedding
    // would cap it (they are measured on their own). Webhooks go to a local sink.
    env: {
      PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      SHINSA_RATE_LIMIT_PER_MINUTE: '0', SHINSA_MAX_EVENT_LOOP_DELAY_MS: '0', SHINSA_MAX_DB_WAITING: '0', SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  child.on('error', (err) => console.error(`bench: the server process failed: ${err.message}`))
  onCleanup('stop the shinsa server', () => stopChild(child))
  if (child.pid === undefined) throw new Error('the server did not start')
  const baseUrl = `http://127.0.0.1:${port}`
  await waitForOk(`${baseUrl}/readyz`, child, 60_000, opts.pollMs)
  return { baseUrl, pid: child.pid, child }
}
