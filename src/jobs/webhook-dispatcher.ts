// The HTTP client webhooks go out through: bounded connect, header and body timeouts, no
// redirects (undici follows none unless told to), and a DNS lookup that refuses private,
// link-local and loopback addresses at connect time — a public name may resolve to one (SSRF),
// which checking the URL when it is saved cannot see. Loopback passes only when
// SHINSA_ALLOW_LOOPBACK_WEBHOOKS is on (development and tests). Each endpoint gets connection
// pools of its own, capped at the worker's per-endpoint limit: a POST that times out is aborted
// and undici destroys its socket, but the client then opens another for the aborted request it
// still has queued — with one shared pool of 50, a black hole collects idle sockets beyond the
// limit; with a Pool of its own of `connections`, it never holds more than that. A Pool, not an
// Agent: an Agent drops and closes an origin's pool once none of its sockets is connected and
// opens a new one beside it, while the old one is still reconnecting.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { Agent, Dispatcher, Pool } from 'undici'
import { isLoopbackAddress, isPrivateAddress } from '../domain/webhooks/endpoint-url.js'

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

export function guardedLookup (allowLoopback: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err !== null) return callback(err, [])
      const list = addresses as LookupAddress[]
      const refused = list.find((a) => isPrivateAddress(a.address) && !(allowLoopback && isLoopbackAddress(a.address)))
      if (refused !== undefined) {
        const e = Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATEADDRESS' })
        return callback(e, [])
      }
      const all = (options as { all?: boolean }).all === true
      return all ? callback(null, list) : callback(null, list[0]!.address, list[0]!.family)
    })
  }
}

/**
 * A dispatcher (one shared Agent for any request) that also keeps a Pool per endpoint and
 * origin, `connections` sockets at most, made on first use and closed once unused for `idleMs`.
 * It wraps an Agent rather than extending one: undici's close and destroy call each other
 * through `this`.
 */
export class EndpointAgent extends Dispatcher {
  readonly #options: Agent.Options
  readonly #shared: Agent
  readonly #endpoints = new Map<string, { agent: Pool; connections: number; usedAt: number }>()
  readonly #sweep: NodeJS.Timeout

  constructor (options: Agent.Options, idleMs = 60_000) {
    super()
    this.#options = options
    this.#shared = new Agent(options)
    this.#sweep = setInterval(() => this.#closeIdle(idleMs), idleMs).unref()
  }

  override dispatch (options: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.#shared.dispatch(options, handler)
  }

  /** The dispatcher for one endpoint's POSTs to `origin`: never more than `connections` sockets to it. */
  endpoint (endpoint: string, origin: string, connections: number): Dispatcher {
    const key = `${endpoint} ${origin}`
    let e = this.#endpoints.get(key)
    if (e === undefined || e.connections !== connections) {
      if (e !== undefined) void e.agent.close().catch(() => {})
      e = { agent: new Pool(origin, { ...this.#options, connections }), connections, usedAt: 0 }
      this.#endpoints.set(key, e)
    }
    e.usedAt = Date.now()
    return e.agent
  }

  /** Endpoint agents unused for `idleMs`: taken out first, so no new POST gets a closing one. */
  #closeIdle (idleMs: number): void {
    const before = Date.now() - idleMs
    for (const [key, e] of this.#endpoints) {
      if (e.usedAt >= before) continue
      this.#endpoints.delete(key)
      void e.agent.close().catch(() => {})
    }
  }

  #all (end: (a: Pool) => Promise<void>): Promise<void> {
    clearInterval(this.#sweep)
    const agents = [...this.#endpoints.values()].map((e) => e.agent)
    this.#endpoints.clear()
    return Promise.all(agents.map(end)).then(() => {})
  }

  override close (): Promise<void>
  override close (callback: () => void): void
  override close (callback?: () => void): Promise<void> | void {
    const done = Promise.all([this.#all((a) => a.close()), this.#shared.close()]).then(() => {})
    if (callback === undefined) return done
    void done.then(callback, callback)
  }

  override destroy (): Promise<void>
  override destroy (err: Error | null): Promise<void>
  override destroy (callback: () => void): void
  override destroy (err: Error | null, callback: () => void): void
  override destroy (a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null)
    const callback = typeof a === 'function' ? a : b
    const done = Promise.all([this.#all((e) => e.destroy(err)), this.#shared.destroy(err)]).then(() => {})
    if (callback === undefined) return done
    void done.then(callback, callback)
  }
}

export function webhookDispatcher (opts: { allowLoopback: boolean; connectTimeoutMs?: number; timeoutMs?: number }): EndpointAgent {
  return new EndpointAgent({
    connect: { timeout: opts.connectTimeoutMs ?? 5000, lookup: guardedLookup(opts.allowLoopback) as never },
    headersTimeout: opts.timeoutMs ?? 10_000,
    bodyTimeout: opts.timeoutMs ?? 10_000,
    connections: 50,
  })
}
