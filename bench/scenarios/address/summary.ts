// The scenario's closing table: each figure beside its target and whether it is met. A figure
// whose target does not apply to this run (a PostgreSQL target on PGlite, a skipped step) says
// so instead of passing or failing.
export type Verdict = 'met' | 'missed' | 'n/a' | 'skipped'

type Line = { what: string; figure: string; target: string; verdict: Verdict; note?: string }

export class Summary {
  private readonly lines: Line[] = []

  /** `met` null: the target does not apply here (`note` says why). */
  add (what: string, figure: string, target: string, met: boolean | null, note?: string): void {
    this.lines.push({ what, figure, target, verdict: met === null ? 'n/a' : met ? 'met' : 'missed', note })
  }

  skip (what: string, target: string, note: string): void {
    this.lines.push({ what, figure: '—', target, verdict: 'skipped', note })
  }

  print (): void {
    const header = ['figure', 'measured', 'target', 'verdict']
    const body = this.lines.map((l) => [l.what, l.figure, l.target, l.verdict + (l.note === undefined ? '' : ` (${l.note})`)])
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)))
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
    console.log(`\nsummary\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
    for (const cells of body) console.log(line(cells))
    const missed = this.lines.filter((l) => l.verdict === 'missed').length
    console.log(`\n${this.lines.filter((l) => l.verdict === 'met').length} met, ${missed} missed, ` +
      `${this.lines.filter((l) => l.verdict === 'n/a' || l.verdict === 'skipped').length} not applicable or skipped`)
  }
}

export const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
