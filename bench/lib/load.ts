// Loads one URL with autocannon: a short warm-up whose figures are dropped, then the measured run;
// one body, several sent in turn, or one made per request; as fast as the server answers, or at a
// fixed rate.
import autocannon, { type Instance, type Options, type RawRequest, type Result } from 'autocannon'

export type LoadOptions = {
  duration: number
  connections: number
  warmup: number
  /** A fixed rate (req/s over all connections) instead of as fast as the server answers. */
  overallRate?: number
}

export type Target = {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: unknown
  bodies?: readonly unknown[]
  /**
   * Instead of `body`/`bodies`: the JSON text of the n-th request, for bodies that must differ on
   * every request (an idempotency key). n counts every such request this process makes, across
   * routes, warm-ups and runs, so no two requests of a bench run get the same n.
   */
  makeBody?: (n: number) => string
}

/** A non-2xx answer to a `makeBody` request, with the body that was sent. */
export type Failure = { status: number; sent: string; answer: string }

export type Measurement = {
  reqPerSec: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** Status code → count, to explain a non-2xx figure. */
  statuses: Record<string, number>
  /** With `makeBody`: the first few non-2xx answers of the measured run, with what was sent. */
  failures?: Failure[]
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

let made = 0
const KEPT_FAILURES = 5

// Each connection keeps the body it sent in its autocannon context (reset before each request),
// so a failed answer can be shown beside the body that caused it.
function generate (makeBody: (n: number) => string, failures: Failure[]): NonNullable<Options['requests']>[number] {
  return {
    setupRequest: (req, context) => {
      const body = makeBody(made++)
      context.sent = body
      return { ...req, body }
    },
    onResponse: (status, answer, context) => {
      if ((status < 200 || status > 299) && failures.length < KEPT_FAILURES) failures.push({ status, sent: String(context.sent), answer })
    },
  }
}

function requestsOf (target: Target, failures: Failure[]): Options['requests'] {
  if (target.makeBody !== undefined) return [generate(target.makeBody, failures)]
  return target.bodies === undefined ? undefined : [rotate(target.bodies)]
}

export async function measure (target: Target, opts: LoadOptions): Promise<Measurement> {
  const headers = { ...target.headers }
  if (target.body !== undefined || target.bodies !== undefined || target.makeBody !== undefined) headers['content-type'] = 'application/json'
  const failures: Failure[] = []
  const base: Options = {
    url: target.url,
    method: target.method ?? 'GET',
    headers,
    body: target.body === undefined ? undefined : JSON.stringify(target.body),
    connections: opts.connections,
    timeout: 10,
    overallRate: opts.overallRate,
    requests: requestsOf(target, failures),
  }
  // Warm-up: JIT, connection pools, and the database's caches reach their steady state.
  if (opts.warmup > 0) await once({ ...base, duration: opts.warmup })
  failures.length = 0
  const r = await once({ ...base, duration: opts.duration })
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
    ...(target.makeBody === undefined ? {} : { failures }),
  }
}
