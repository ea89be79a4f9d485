// Open-model load: requests arrive at a fixed rate, evenly spaced, whether or not the server has
// answered the earlier ones (as callers do: a payment gateway does not wait for shinsa to catch
// up). Closed-model tools (autocannon) send the next request only when one returns, and with
// `overallRate` over many connections they fire in synchronized bursts; neither shows what
// overload does. Every request is timed on its own.
import { setTimeout as sleep } from 'node:timers/promises'
import { Pool } from 'undici'

/**
 * One request: when it was due (its slot in the schedule), when the client got it out, when it
 * was answered. Latency counts from `dueAt`: a client falling behind must not hide a slow server.
 */
export type Sent = { dueAt: number; sentAt: number; doneAt: number; status: number | 'error'; code?: string }

export type OpenLoad = {
  /** Requests a second, evenly spaced. */
  rate: number
  durationMs: number
  /** Answers slower than this count as errors (a hang). */
  timeoutMs?: number
  /** Sockets to the server; requests beyond them wait in the client (which hides server queueing). */
  connections?: number
}

export type OpenTarget = { origin: string; path: string; method: string; headers: Record<string, string>; body: (n: number) => string }

let made = 0

/** Runs the load and answers every request's outcome, times in ms from the start of the run. */
export async function openLoad (target: OpenTarget, opts: OpenLoad, onTick?: (at: number) => void): Promise<Sent[]> {
  const pool = new Pool(target.origin, { connections: opts.connections ?? 2000, pipelining: 1 })
  const timeoutMs = opts.timeoutMs ?? 10_000
  const outcomes: Sent[] = []
  const t0 = performance.now()
  const at = () => performance.now() - t0
  const pending = new Set<Promise<void>>()
  const send = async (dueAt: number): Promise<void> => {
    const sentAt = at()
    try {
      const res = await pool.request({
        method: target.method as 'POST', path: target.path, headers: target.headers, body: target.body(made++),
        headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
      })
      const text = await res.body.text()
      let code: string | undefined
      if (res.statusCode >= 400) {
        try { code = (JSON.parse(text) as { code?: string }).code } catch { code = 'not JSON' }
      }
      outcomes.push({ dueAt, sentAt, doneAt: at(), status: res.statusCode, code })
    } catch (err) {
      outcomes.push({ dueAt, sentAt, doneAt: at(), status: 'error', code: (err as { code?: string }).code ?? (err as Error).message })
    }
  }
  let sent = 0
  while (at() < opts.durationMs) {
    // Every request due by now goes out now: a late timer must not lower the offered rate.
    const due = Math.floor(at() * opts.rate / 1000) + 1
    for (; sent < due; sent++) {
      const p = send(sent * 1000 / opts.rate)
      pending.add(p)
      void p.finally(() => pending.delete(p))
    }
    onTick?.(at())
    await sleep(Math.max(1, (sent * 1000 / opts.rate) - at()))
  }
  await Promise.all(pending)
  await pool.close()
  return outcomes
}

export type Tally = {
  /** Requests sent a second over the run. */
  offered: number
  sent: number
  /** 2xx answers a second, counting those answered within the run. */
  served: number
  byStatus: Map<string, number>
  /** 503 OVERLOADED: load shed on purpose. */
  shed: number
  /** Any other 5xx (a 503 DATABASE_UNAVAILABLE under load included). */
  other5xx: number
  otherNon2xx: number
  errors: number
  /** Latency of the 2xx answers. */
  okP50: number
  okP99: number
  /** Latency of every answer, failures included. */
  allP99: number
  /** How far behind its schedule the client got a request out, at worst. */
  maxSendLag: number
}

const percentile = (sorted: number[], p: number) => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

export function tally (outcomes: Sent[], rate: number, durationMs: number): Tally {
  const byStatus = new Map<string, number>()
  let shed = 0; let other5xx = 0; let otherNon2xx = 0; let errors = 0; let servedInRun = 0; let maxSendLag = 0
  const ok: number[] = []
  const all: number[] = []
  for (const o of outcomes) {
    const key = o.status === 'error' || o.status >= 400 ? `${o.status} ${o.code ?? ''}`.trim() : String(o.status)
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1)
    const ms = o.doneAt - o.dueAt
    all.push(ms)
    maxSendLag = Math.max(maxSendLag, o.sentAt - o.dueAt)
    if (o.status === 'error') errors++
    else if (o.status >= 200 && o.status < 300) {
      ok.push(ms)
      if (o.doneAt <= durationMs) servedInRun++
    } else if (o.status === 503 && o.code === 'OVERLOADED') shed++
    else if (o.status >= 500) other5xx++
    else otherNon2xx++
  }
  ok.sort((a, b) => a - b)
  all.sort((a, b) => a - b)
  return {
    offered: outcomes.length * 1000 / durationMs, sent: outcomes.length, served: servedInRun * 1000 / durationMs, byStatus, shed, other5xx, otherNon2xx, errors,
    okP50: percentile(ok, 0.5), okP99: percentile(ok, 0.99), allP99: percentile(all, 0.99), maxSendLag,
  }
}
