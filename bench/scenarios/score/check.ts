// The pool is only worth loading if the server scores each template as the generator means it:
// every template is scored once (orderId CHECK-<t>) and the reasons tallied — per kind, how many
// raised the reason expected of them; overall, the levels and every reason seen. A template the
// server refuses is printed with its answer, since the load would only count it as non-2xx.
import type { BenchContext } from '../../lib/scenario.js'
import type { Template } from './bodies.js'
import { inParallel } from './parallel.js'

type Answer = { level: string; reasons: Array<{ code: string }> }

export async function checkTemplates (ctx: BenchContext, pool: readonly Template[]): Promise<void> {
  const byKind = new Map<string, { n: number; hit: number; example?: string }>()
  const reasons: Record<string, number> = {}
  const levels: Record<string, number> = {}
  const refused: string[] = []
  await inParallel(pool.length, 8, async (t) => {
    const { kind, expected, order } = pool[t]!
    const body = { orderId: `CHECK-${t}`, ...order }
    let answer: Answer
    try {
      answer = (await ctx.api('POST', '/v1/orders/score', { token: ctx.apiKey, body, expect: 200 })).body as Answer
    } catch (err) {
      refused.push(`${(err as Error).message}\n     sent: ${JSON.stringify(body)}`)
      return
    }
    const k = byKind.get(kind) ?? { n: 0, hit: 0 }
    k.n++
    const codes = answer.reasons.map((r) => r.code)
    if (expected === null || codes.includes(expected)) k.hit++
    else k.example ??= `CHECK-${t} answered ${codes.join(', ') || 'no reasons'}`
    byKind.set(kind, k)
    levels[answer.level] = (levels[answer.level] ?? 0) + 1
    for (const c of codes) reasons[c] = (reasons[c] ?? 0) + 1
  })
  console.log(`   check: each template scored once — levels ${Object.entries(levels).map(([l, n]) => `${l} ${n}`).join(', ')}`)
  for (const [kind, k] of byKind) {
    const expected = pool.find((p) => p.kind === kind)?.expected
    console.log(`     ${kind.padEnd(42)} ${String(k.n).padStart(3)}` + (expected === null ? '' : `, ${k.hit} raised ${expected}`) +
      (k.example === undefined ? '' : ` (not: ${k.example})`))
  }
  console.log(`     reasons seen: ${Object.entries(reasons).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`)
  for (const r of refused.slice(0, 3)) console.log(`   ! refused: ${r}`)
  if (refused.length > 0) console.log(`   ! ${refused.length} of ${pool.length} templates refused: the load will count them as non-2xx`)
}
