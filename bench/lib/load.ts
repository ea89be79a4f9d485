// Loads one URL with autocannon: a short warm-up whose figures are dropped, then the measured run;
// one body, or several sent in turn; as fast as the server answers, or at a fixed rate.
import autocannon, { type Instance, type Options, type RawRequest, type Result } from 'autocannon'

export type LoadOptions = {
  duration: number
  connections: number
  warmup: number
  /** A fixed rate (req/s over all connections) instead of as fast as the server answers. */
  overallRate?: number
}

export type Target = { url: string; method?: string; headers?: Record<string, string>; body?: unknown; bodies?: readonly unknown[] }

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

// One counter shared by every connection: with a `requests` array of its own per body, each
// connection would start at the first body and they would all send the same ones in step.
function rotate (bodies: readonly unknown[]): { setupRequest: (req: RawRequest) => RawRequest } {
  if (bodies.length === 0) throw new Error('a route with bodies needs at least one')
  const encoded = bodies.map((b) => JSON.stringify(b))
  let next = 0
  return { setupRequest: (req) => ({ ...req, body: encoded[next++ % encoded.length] }) }
}

export async function measure (target: Target, opts: LoadOptions): Promise<Measurement> {
  const headers = { ...target.headers }
  if (target.body !== undefined || target.bodies !== undefined) headers['content-type'] = 'application/json'
  const base: Options = {
    url: target.url,
    method: target.method ?? 'GET',
    headers,
    body: target.body === undefined ? undefined : JSON.stringify(target.body),
    connections: opts.connections,
    timeout: 10,
    overallRate: opts.overallRate,
    requests: target.bodies === undefined ? undefined : [rotate(target.bodies)],
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
