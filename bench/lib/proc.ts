// Child-process helpers: a free loopback port, a child's resident memory, a bounded stop.
import { createServer } from 'node:net'
import { readFile } from 'node:fs/promises'
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
