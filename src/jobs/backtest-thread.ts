// A backtest thread: compiles the candidate ruleset once, then decides pages of stored features
// (as the JSON text the database gave) and answers each order's recommendation. Parsing and
// deciding off the main thread keeps the event loop free for live scoring while a backtest runs.
import { parentPort, workerData } from 'node:worker_threads'
import { compileRuleset } from '../domain/rules/cel.js'
import { decide, type MerchantVersion } from '../domain/rules/decide.js'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import { CURRENT_BUILTIN } from '../domain/scoring/ruleset.js'
import type { Recommendation, Thresholds } from '../domain/scoring/score.js'

export type ThreadRequest =
  | { kind: 'ruleset'; version: number; body: RulesetBody }
  | { kind: 'page'; id: number; features: Array<string | null>; thresholds: Array<Thresholds | null> }
export type ThreadAnswer = { id: number; recommendations: Array<Recommendation | null> } | { id: number; error: string }

/** Each order's recommendation under the candidate; null when there is nothing to decide from. */
export function decidePage (candidate: MerchantVersion, features: ReadonlyArray<string | null>, thresholds: ReadonlyArray<Thresholds | null>): Array<Recommendation | null> {
  return features.map((f, i) => {
    const t = thresholds[i] ?? null
    if (f === null || t === null) return null
    return decide(JSON.parse(f), { builtin: CURRENT_BUILTIN, ruleset: candidate, thresholds: t }).recommendation
  })
}

let candidate: MerchantVersion | undefined
// Only in a thread started as a backtest thread: the main thread imports decidePage from here too.
const port = (workerData as { backtestThread?: boolean } | null)?.backtestThread === true ? parentPort : null
port?.on('message', (m: ThreadRequest) => {
  if (m.kind === 'ruleset') {
    const compiled = compileRuleset(m.body)
    // The main thread compiled the same body first: a refusal here is a defect, answered on the next page.
    candidate = compiled.ok ? { version: m.version, compiled: compiled.ruleset } : undefined
    return
  }
  try {
    if (candidate === undefined) throw new Error('the ruleset did not compile in the thread')
    port!.postMessage({ id: m.id, recommendations: decidePage(candidate, m.features, m.thresholds) } satisfies ThreadAnswer)
  } catch (err) {
    port!.postMessage({ id: m.id, error: String((err as Error).message ?? err) } satisfies ThreadAnswer)
  }
})
