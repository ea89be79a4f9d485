// Child-process helpers: a free loopback port, a child's resident memory and CPU time, a bounded stop.
import { createServer } from 'node:net'
import { readdir, readFile } from 'node:fs/promises'
import type { ChildProcess } from 'node:child_process'

/** A port free on 127.0.0.1 right now (the OS picks it; a race with another process is unlikely). */
export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

/** Resident set size of a process in MB, from /proc (Linux); undefined if it cannot be read. */
export async function rssMb (pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]
    return kb === undefined ? undefined : Number(kb) / 1024
  } catch {
    return undefined
  }
}

/** User + system CPU seconds a process has used so far, from /proc (Linux); undefined if unreadable. */
export async function cpuSeconds (pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    return undefined
  }
}

// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS = 100

/**
 * CPU seconds used so far by the PostgreSQL backends serving `database` (their title names it):
 * compare two readings to see the database's share of a step. Backends that exited in between
 * are not counted, nor WAL writer and checkpointer; undefined off Linux.
 */
export async function backendCpuSeconds (database: string): Promise<Map<number, number> | undefined> {
  let pids: string[]
  try { pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d)) } catch { return undefined }
  const found = new Map<number, number>()
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (!cmdline.startsWith('postgres:') || !cmdline.includes(` ${database} `)) continue
    const cpu = await cpuSeconds(Number(pid))
    if (cpu !== undefined) found.set(Number(pid), cpu)
  }
  return found
}

/** CPU seconds between two backendCpuSeconds readings (a backend new since `before` counts from 0). */
export function backendCpuBetween (before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (before === undefined || after === undefined) return undefined
  let total = 0
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0)
  return total
}

export function hasExited (child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

function exited (child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => { clearTimeout(timer); resolve(true) })
  })
}

/** SIGTERM (the child's graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild (child: ChildProcess, graceMs = 5000): Promise<void> {
  if (hasExited(child)) return
  child.kill('SIGTERM')
  if (await exited(child, graceMs)) return
  child.kill('SIGKILL')
  await exited(child, 2000)
}
