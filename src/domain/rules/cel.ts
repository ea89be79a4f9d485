// A merchant's ruleset compiled once: every `when` checked against the vocabulary, the actions,
// weights and thresholds within their bounds, and every refusal collected (not just the first),
// so a draft comes back with all its mistakes. A compiled ruleset evaluates an order's rules in
// order and never throws: a rule that fails on one order is an 'error' outcome on that order.
import { serialize, type ASTNode, type ParseResult } from '@marcbachmann/cel-js'
import { REASON_CODES } from '../scoring/reason.js'
import { checkWhen } from './cel-check.js'
import { celContext, VariableError } from './cel-environment.js'
import { RULE_LIMITS, type CompiledRuleset, type RuleError, type RuleOutcome, type RulesetBody } from './ruleset.js'
import type { RuleVariables } from './vocabulary.js'

export { VOCABULARY, type VocabularyEntry } from './cel-vocabulary.js'

export type CompileResult = { ok: true; ruleset: CompiledRuleset } | { ok: false; errors: RuleError[] }

const RULE_ID = /^[A-Za-z0-9_-]{1,64}$/
const RECOMMENDATIONS: ReadonlySet<unknown> = new Set(['proceed', 'review', 'hold'])
const REASONS: ReadonlySet<string> = new Set(REASON_CODES)
const points = (v: unknown) => Number.isInteger(v) && (v as number) >= RULE_LIMITS.minPoints && (v as number) <= RULE_LIMITS.maxPoints
const POINTS = `an integer from ${RULE_LIMITS.minPoints} to ${RULE_LIMITS.maxPoints}`

function bodyErrors (body: RulesetBody): RuleError[] {
  const errors: RuleError[] = []
  const at = (path: string, reason: string) => errors.push({ ruleId: '', index: -1, path, position: null, reason })
  if (body.rules.length > RULE_LIMITS.rulesPerVersion) at('rules', `more than ${RULE_LIMITS.rulesPerVersion} rules (${body.rules.length})`)
  for (const [code, weight] of Object.entries(body.weights ?? {})) {
    if (!REASONS.has(code)) at(`weights.${code}`, `unknown reason code '${code}'`)
    else if (!points(weight)) at(`weights.${code}`, `must be ${POINTS}, is ${String(weight)}`)
  }
  const th = body.thresholds
  if (th !== undefined) {
    const score = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100
    if (!score(th.elevated)) at('thresholds.elevated', `must be an integer from 0 to 100, is ${String(th.elevated)}`)
    if (!score(th.high)) at('thresholds.high', `must be an integer from 0 to 100, is ${String(th.high)}`)
    if (score(th.elevated) && score(th.high) && th.elevated >= th.high) {
      at('thresholds.elevated', `must be below thresholds.high (${th.high}), is ${th.elevated}`)
    }
  }
  return errors
}

function ruleErrors (body: RulesetBody, runs: ParseResult[]): RuleError[] {
  const errors: RuleError[] = []
  const seen = new Set<string>()
  body.rules.forEach((rule, index) => {
    const at = (field: string, reason: string, position: number | null = null) =>
      errors.push({ ruleId: rule.id, index, path: `rules[${index}].${field}`, position, reason })
    if (!RULE_ID.test(rule.id)) at('id', 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -')
    else if (seen.has(rule.id)) at('id', `duplicate rule id '${rule.id}'`)
    seen.add(rule.id)
    const checked = checkWhen(rule.when)
    if (checked.ok) runs.push(checked.run)
    else at('when', checked.reason, checked.position)
    const action = rule.action as Record<string, unknown>
    if ('add' in action) {
      if (!points(action.add)) at('action.add', `must be ${POINTS}, is ${String(action.add)}`)
    } else if (!RECOMMENDATIONS.has(action.set)) at('action.set', "must be 'proceed', 'review' or 'hold'")
  })
  return errors
}

function runtimeMessage (e: unknown): string {
  const err = e as { code?: string; summary?: string; node?: ASTNode; message?: string }
  if (err.code === 'no_such_key' && err.node?.op === '.') return `${serialize(err.node)} is absent`
  return err.summary ?? String(err.message ?? e)
}

function outcomeOf (id: string, run: ParseResult, ctx: Record<string, unknown>): RuleOutcome {
  try {
    const v: unknown = run(ctx)
    if (v === true) return { id, outcome: 'matched' }
    if (v === false) return { id, outcome: 'not_matched' }
    return { id, outcome: 'error', error: 'result is not a bool' }
  } catch (e) {
    return { id, outcome: 'error', error: runtimeMessage(e) }
  }
}

export function compileRuleset (body: RulesetBody): CompileResult {
  const runs: ParseResult[] = []
  const errors = [...bodyErrors(body), ...ruleErrors(body, runs)]
  if (errors.length > 0) return { ok: false, errors }
  const ids = body.rules.map((r) => r.id)
  const evaluate = (vars: RuleVariables): RuleOutcome[] => {
    let ctx: Record<string, unknown>
    try {
      ctx = celContext(vars)
    } catch (e) {
      const error = e instanceof VariableError ? e.message : 'variables could not be read'
      return ids.map((id) => ({ id, outcome: 'error', error }))
    }
    return ids.map((id, i) => outcomeOf(id, runs[i]!, ctx))
  }
  return { ok: true, ruleset: { body, evaluate } }
}
