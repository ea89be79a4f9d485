// The slice of autocannon 8's API the bench uses (the package ships no types, and adding
// @types/autocannon would touch package.json, which is not the bench's to edit).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export type Options = {
    url: string
    method?: string
    headers?: Record<string, string>
    body?: string
    connections?: number
    duration?: number
    timeout?: number
    title?: string
    /** Requests per second from all connections together (a fixed rate, not as fast as possible). */
    overallRate?: number
    /**
     * Each connection loops over these; setupRequest may rewrite the request before it is sent,
     * onResponse sees its answer. `context` is the connection's, emptied before each request.
     */
    requests?: Array<{
      setupRequest?: (req: RawRequest, context: Record<string, unknown>) => RawRequest
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void
    }>
  }

  export type RawRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }

  export type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number }

  export type Result = {
    title?: string
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
    latency: Histogram
    requests: Histogram & { total: number; sent: number }
  }

  export type Instance = EventEmitter & { stop: () => void }

  export default function autocannon (opts: Options, cb: (err: Error | null, result: Result) => void): Instance
}
