// A ruleset refused by the CEL engine, as the problem a merchant reads: 422 RULESET_INVALID with
// one entry per error naming the rule, the place in the body and the reason.
import type { CompiledRuleset, RuleError, RulesetBody } from '../domain/rules/ruleset.js'
import { compileRuleset } from '../domain/rules/cel.js'
import { AppError } from '../errors.js'

export function rulesetProblem (errors: readonly RuleError[], at = 'body'): AppError {
  const first = errors[0]
  const detail = first === undefined ? 'The ruleset is invalid'
    : `${first.ruleId === '' ? first.path : `Rule ${first.ruleId}`}: ${first.reason}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
  return new AppError('RULESET_INVALID', detail, {
    errors: errors.map((e) => ({
      path: `${at}.${e.path}`,
      message: `${e.ruleId === '' ? '' : `${e.ruleId}: `}${e.reason}${e.position === null ? '' : ` (at position ${e.position})`}`,
    })),
  })
}

/** Compiles the body or throws the problem. */
export function compileOrRefuse (body: RulesetBody, at = 'body'): CompiledRuleset {
  const result = compileRuleset(body)
  if (!result.ok) throw rulesetProblem(result.errors, at)
  return result.ruleset
}
