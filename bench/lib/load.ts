// Loads one URL with autocannon: a short warm-up whose figures are dropped, then the measured run.
import autocannon, { type Instance, type Options, type Result } from 'autocannon'

export type LoadOptions = { duration: number; connections: number; warmup: number }

export type Target = { url: string; method?: string; headers?: Record<string, string>; body?: unknown }

export type Measurement = {
  reqPerSec: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** Status code → count, to explain a non-2xx figure. */
  statuses: Record<string, number>
}

let current: Instance | undefined

/** Stops the load in progress, if any (on Ctrl-C, so the process can exit promptly). */
export function stopLoad (): void {
  current?.stop()
}

function once (opts: Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    current = autocannon(opts, (err, result) => {
      current = undefined
      if (err !== null && err !== undefined) reject(err)
      else resolve(result)
    })
  })
}

export async function measure (target: Target, opts: LoadOptions): Promise<Measurement> {
  const headers = { ...target.headers }
  if (target.body !== undefined) headers['content-type'] = 'application/json'
  const base: Options = {
    url: target.url,
    method: target.method ?? 'GET',
    headers,
    body: target.body === undefined ? undefined : JSON.stringify(target.body),
    connections: opts.connections,
    timeout: 10,
  }
  // Warm-up: JIT, connection pools, and the database's caches reach their steady state.
  if (opts.warmup > 0) await once({ ...base, duration: opts.warmup })
  const r = await once({ ...base, duration: opts.duration })
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
  }
}
