// The fuzz run's figures: statuses and problem codes, 2xx per operation, time by focus and
// operation, the slowest requests, the largest problem documents, memory sampled (after a
// collection) every 1,000 requests, and the failures grouped with a few requests each.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// A collection before each memory sample: what is measured is what stays, not garbage not yet swept.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const sampleMemory = () => { gc(); return process.memoryUsage() }

export const trunc = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s)
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024))
const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by)
const counts = (m: Map<string, number>, unit = '×') =>
  [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => (unit === '×' ? `${k} ×${v}` : `${k} ${Math.round(v)} ${unit}`)).join(', ')

const SAMPLE_EVERY = 1000
const EXAMPLES = 3

type Failure = { reason: string; where: string; requestId: string | undefined; example: string }

export class FuzzStats {
  sent = 0
  private readonly statuses = new Map<string, number>()
  private readonly codes = new Map<string, number>()
  private readonly successes = new Map<string, number>()
  private readonly focuses = new Map<string, number>()
  private readonly timeByFocus = new Map<string, number>()
  private readonly timeByOp = new Map<string, number>()
  private readonly latencies: number[] = []
  private slowest: Array<{ ms: number; shown: string }> = []
  private largest: Array<{ bytes: number; shown: string }> = []
  private readonly memory: Array<{ rss: number; heapUsed: number }> = []
  private readonly failures: Failure[] = []
  private readonly failureKinds = new Map<string, number>()

  /** The memory every later sample is compared with: taken once the requests are generated. */
  baseline (): void {
    this.memory.splice(0, this.memory.length, sampleMemory())
  }

  sampleMemory (): void {
    this.memory.push(sampleMemory())
  }

  answered (a: { focus: string; op: string; ms: number; shown: string; status?: number; bytes?: number; code?: string }): void {
    this.sent++
    if (this.sent % SAMPLE_EVERY === 0) this.sampleMemory()
    bump(this.focuses, a.focus)
    bump(this.timeByFocus, a.focus, a.ms)
    bump(this.timeByOp, a.op, a.ms)
    this.latencies.push(a.ms)
    if (a.ms > (this.slowest[4]?.ms ?? 0)) this.slowest = [...this.slowest, { ms: a.ms, shown: a.shown }].sort((x, y) => y.ms - x.ms).slice(0, 5)
    if (a.status === undefined) return
    bump(this.statuses, String(a.status))
    if (a.code !== undefined) bump(this.codes, a.code)
    // Problem documents only: a 2xx (a CSV download of a big batch) may be large by right.
    if (a.status >= 300 && a.bytes !== undefined && a.bytes > (this.largest[2]?.bytes ?? 0)) {
      this.largest = [...this.largest, { bytes: a.bytes, shown: `${a.status} ${a.bytes} bytes ← ${trunc(a.shown, 300)}` }].sort((x, y) => y.bytes - x.bytes).slice(0, 3)
    }
  }

  succeeded (what: string): void {
    bump(this.successes, what)
  }

  /** Every failure is counted; a few of each kind keep their request (never a whole body). */
  failed (f: Omit<Failure, 'example'>, example: string): void {
    const kind = `${f.reason}|${f.where}`
    const seen = this.failureKinds.get(kind) ?? 0
    this.failureKinds.set(kind, seen + 1)
    this.failures.push({ ...f, example: seen < EXAMPLES ? example : '' })
  }

  /** Failures grouped by reason, logged cause and operation, with up to three requests each. */
  private groups (cause: (requestId: string) => string | undefined) {
    const groups = new Map<string, { message: string; count: number; examples: string[] }>()
    for (const f of this.failures) {
      const why = f.requestId === undefined ? undefined : cause(f.requestId)
      const key = `${f.reason}${why === undefined ? '' : ` [logged: ${why}]`} — ${f.where}`
      const g = groups.get(key) ?? { message: key, count: 0, examples: [] }
      g.count++
      if (f.example !== '' && g.examples.length < EXAMPLES) g.examples.push(f.example)
      groups.set(key, g)
    }
    return [...groups.values()].map((g) => ({ message: `${g.message}: ${g.count} answer${g.count === 1 ? '' : 's'}`, examples: g.examples }))
  }

  report (cause: (requestId: string) => string | undefined = () => undefined) {
    const sorted = [...this.latencies].sort((a, b) => a - b)
    const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10
    const first = this.memory[0] ?? { rss: 0, heapUsed: 0 }
    return {
      sent: this.sent,
      statuses: counts(this.statuses),
      codes: counts(this.codes),
      successes: counts(this.successes),
      focuses: counts(this.focuses),
      p50: at(0.5),
      p99: at(0.99),
      timeByFocus: counts(this.timeByFocus, 'ms'),
      timeByOp: counts(this.timeByOp, 'ms'),
      slowest: this.slowest.map((s) => `${Math.round(s.ms)} ms ${trunc(s.shown, 200)}`).join(' | '),
      largest: this.largest.map((l) => l.shown).join(' | '),
      largestBytes: this.largest[0]?.bytes ?? 0,
      rss: this.memory.map((x) => mb(x.rss)).join(' '),
      heap: this.memory.map((x) => mb(x.heapUsed)).join(' '),
      rssGrowthMb: mb(Math.max(...this.memory.map((x) => x.rss)) - first.rss),
      heapGrowthMb: mb(Math.max(...this.memory.map((x) => x.heapUsed)) - first.heapUsed),
      failures: this.groups(cause),
      failureCount: this.failures.length,
      failedRequestIds: new Set(this.failures.flatMap((f) => (f.requestId === undefined ? [] : [f.requestId]))),
    }
  }
}
