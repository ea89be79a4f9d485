// Printing: one line per measured route as it finishes, and the summary table at the end.
import type { Measurement } from './load.js'

export type Row = {
  title: string
  m: Measurement
  /** Resident memory of the process that served the route, after its run. */
  rssMb: number | undefined
  /** This route's req/s over the ceiling's. */
  ratio: number
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
// autocannon's latency histogram holds whole milliseconds: 0 means under one.
const ms = (v: number) => v < 1 ? '<1' : v.toFixed(0)
const mb = (v: number | undefined) => v === undefined ? '?' : v.toFixed(0)

export function printRow (row: Row): void {
  const { m } = row
  console.log(`  ${row.title}\n    ${int.format(m.reqPerSec)} req/s, p50 ${ms(m.p50)} ms, p99 ${ms(m.p99)} ms, ` +
    `non-2xx ${m.non2xx}, errors ${m.errors}, RSS ${mb(row.rssMb)} MB, ratio to ceiling: ${row.ratio.toFixed(2)}`)
  // A fast route that fails is not a fast route: say so next to the figure.
  const failing = Object.entries(m.statuses).filter(([code]) => !code.startsWith('2'))
  if (failing.length > 0 || m.errors > 0) {
    console.log(`    ! not all answers were 2xx: ${failing.map(([c, n]) => `${c}×${n}`).join(', ') || 'see errors'}`)
  }
}

export function printTable (rows: Row[]): void {
  const header = ['route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'RSS MB', 'ratio to ceiling']
  const body = rows.map((r) => [
    r.title, int.format(r.m.reqPerSec), ms(r.m.p50), ms(r.m.p99),
    String(r.m.non2xx), String(r.m.errors), mb(r.rssMb), r.ratio.toFixed(2),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)).join('  ')
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
  for (const cells of body) console.log(line(cells))
}
