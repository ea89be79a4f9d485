// Sends fuzz requests through app.inject, one after another: ids drawn from pools of real
// resources (and grown from what 2xx answers create), credentials filled in, each answer judged
// (judge.ts) and counted (stats.ts); a service that stops answering stops the run.
import type { Readable } from 'node:stream'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { describeJson, writeJson } from './hostile.js'
import { judge } from './judge.js'
import { PATHS, type Operation } from './openapi-schema.js'
import { poolKey, type FuzzRequest } from './requests.js'
import { FuzzStats, trunc } from './stats.js'

const POOL_MAX = 50
const ANSWER_TIMEOUT_MS = 15_000
const STALL_AFTER = 5
const ZERO_UUID = '00000000-0000-4000-8000-000000000000'

type Prepared = { method: string; url: string; headers: Record<string, string>; payload?: Buffer | Readable; shown: string }

/** UTF-8 text as a JSON string; bytes that are not UTF-8 in hex, so the request can be rebuilt. */
function showBytes (b: Buffer): string {
  try {
    return trunc(JSON.stringify(new TextDecoder('utf-8', { fatal: true }).decode(b)), 240)
  } catch {
    return `hex ${b.subarray(0, 160).toString('hex')}${b.length > 160 ? `… (${b.length} bytes)` : ''}`
  }
}

export class FuzzRunner {
  readonly stats = new FuzzStats()
  /** Set when STALL_AFTER answers in a row were 5xx or none; names the request before them. */
  stalled: string | undefined
  private readonly pools = new Map<string, string[]>()
  private streak = 0
  private previous = ''

  constructor (private readonly app: FastifyInstance, private readonly opts: { operatorToken: string; merchantToken: string; otherMerchantToken: string; ops: Operation[] }) {}

  seed (pools: Record<string, string[]>): void {
    for (const [k, ids] of Object.entries(pools)) this.pools.set(k, [...ids])
  }

  pool (key: string): string[] {
    return this.pools.get(key) ?? []
  }

  /** Sends them in order; stops early (and says so) once the service has stopped answering. */
  async runAll (requests: FuzzRequest[]): Promise<void> {
    for (const req of requests) {
      if (this.stalled !== undefined) break
      await this.run(req)
    }
  }

  /** Sends each request; the skeletons whose request got past validation (not a 400, 413, 415, 422, nor a 5xx). */
  async accepted (candidates: Array<{ skeleton: unknown; request: FuzzRequest }>): Promise<unknown[]> {
    const out: unknown[] = []
    for (const { skeleton, request } of candidates) {
      const status = await this.run(request)
      if (status !== undefined && status < 500 && ![400, 413, 415, 422].includes(status)) out.push(skeleton)
    }
    return out
  }

  private credential (req: FuzzRequest): string | undefined {
    const c = req.credential
    if (typeof c === 'object') return c.header
    if (c === 'none') return undefined
    if (c === 'operator') return this.opts.operatorToken
    if (c === 'merchant') return this.opts.merchantToken
    const auth = this.opts.ops.find((o) => o.id === req.op)?.auth
    return auth === 'operator' ? this.opts.operatorToken : auth === 'none' ? undefined : this.opts.merchantToken
  }

  private prepare (req: FuzzRequest): Prepared {
    const path = req.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = req.pathValues[name]
      if (v === undefined) return ZERO_UUID
      if ('literal' in v) return v.literal
      const pool = this.pool(v.pool)
      return pool[this.stats.sent % Math.max(1, pool.length)] ?? ZERO_UUID
    })
    const url = req.query === '' ? path : `${path}?${req.query}`
    const headers: Record<string, string> = { ...req.headers }
    const auth = this.credential(req)
    if (auth !== undefined) headers.authorization = auth
    const b = req.body
    const payload = b === undefined ? undefined : b.kind === 'json' ? Buffer.from(writeJson(b.value)) : b.kind === 'bytes' ? Buffer.from(b.bytes) : b.make()
    const body = b === undefined ? 'none' : b.kind === 'json' ? describeJson(b.value, 300) : b.kind === 'bytes' ? `${b.label}: ${showBytes(Buffer.from(b.bytes))}` : b.label
    const names: Record<string, string> = { [this.opts.operatorToken]: '<operator>', [this.opts.merchantToken]: '<merchant key>', [this.opts.otherMerchantToken]: '<other merchant key>' }
    const named = (v: string) => names[v] ?? trunc(v, 80)
    const shown = `[${req.focus}] ${req.method} ${trunc(url, 200)} headers=${JSON.stringify(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, named(v)])))} body=${body}`
    return { method: req.method, url, headers, payload, shown }
  }

  private send (p: Prepared): Promise<LightMyRequestResponse> {
    let timer: NodeJS.Timeout | undefined
    // test/helper.ts checks each answer against openapi/openapi.json on the way (and fails the
    // test on a departure); an answer that never comes is a finding too, and must not end the
    // process unnoticed.
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS)
    })
    const answer = this.app.inject({ method: p.method as 'GET', url: p.url, headers: p.headers, payload: p.payload })
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer))
  }

  private async run (req: FuzzRequest): Promise<number | undefined> {
    const p = this.prepare(req)
    const trace = process.env.FUZZ_TRACE !== undefined
    if (trace) process.stderr.write(`${this.stats.sent} ${trunc(p.shown, 300)}\n`)
    const t0 = performance.now()
    let res: LightMyRequestResponse | undefined
    let thrown: unknown
    try {
      res = await this.send(p)
    } catch (err) {
      thrown = err
    }
    const ms = performance.now() - t0
    if (trace) process.stderr.write(`  ${Math.round(ms)} ms → ${res?.statusCode ?? String(thrown)}\n`)
    this.watch(p, res === undefined || res.statusCode >= 500)
    if (res === undefined) {
      this.stats.answered({ focus: req.focus, op: req.op, ms, shown: p.shown })
      this.stats.failed({ reason: 'no answer', where: `${req.method} ${req.path} (${req.op})`, requestId: undefined }, `${p.shown}\n  → ${String(thrown)}`)
      return undefined
    }
    const verdict = judge(req.method, req.path, res)
    this.stats.answered({ focus: req.focus, op: req.op, ms, shown: p.shown, status: res.statusCode, bytes: res.rawPayload.length, code: verdict.code })
    if (verdict.violation !== undefined) {
      const requestId = res.headers['x-request-id']
      const answer = `${res.statusCode} ${String(res.headers['content-type'])} ${trunc(res.body, 300)}`
      this.stats.failed({ reason: verdict.violation, where: `${req.method} ${req.path} (${req.op})`, requestId: typeof requestId === 'string' ? requestId : undefined }, `${p.shown}\n  → ${answer}`)
    } else if (res.statusCode < 300) {
      this.stats.succeeded(`${req.method} ${req.path}`)
      // What the other merchant created is not the pools' merchant's to reach.
      if (typeof req.credential !== 'object') this.learn(req, res)
    }
    return res.statusCode
  }

  private watch (p: Prepared, bad: boolean): void {
    if (!bad) { this.streak = 0; this.previous = p.shown; return }
    if (++this.streak >= STALL_AFTER) {
      this.stalled = `after request ${this.stats.sent + 1 - STALL_AFTER} the service answered ${STALL_AFTER} in a row with a 5xx or not at all; the request before them: ${trunc(this.previous, 400)}`
    }
  }

  /** Ids a 2xx answer created join the pools, so later requests reach them. */
  private learn (req: FuzzRequest, res: LightMyRequestResponse): void {
    if (req.method !== 'POST' || !/json/.test(String(res.headers['content-type']))) return
    const body = res.json() as Record<string, unknown>
    const add = (key: string, id: unknown) => {
      if (typeof id !== 'string' && typeof id !== 'number') return
      const pool = this.pools.get(key) ?? []
      if (pool.length < POOL_MAX && !pool.includes(String(id))) pool.push(String(id))
      this.pools.set(key, pool)
    }
    const location = res.headers.location
    for (const path of PATHS) {
      const m = /\{(\w+)\}$/.exec(path)
      if (m === null || path.slice(0, m.index - 1) !== req.path) continue
      add(poolKey(path, m[1]!), typeof location === 'string' ? location.split('/').at(-1) : body.id)
    }
    if (typeof body.orderId === 'string') add(poolKey('/v1/orders/{orderId}', 'orderId'), body.orderId)
  }
}
