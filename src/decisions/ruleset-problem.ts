// A ruleset refused by the CEL engine, as the problem a merchant reads: 422 RULESET_INVALID with
// one entry per error naming the rule, the place and the reason. `at` is where the ruleset is:
// 'body' (a draft), 'body.ruleset' (an unsaved one in a what-if or backtest), '' (a stored
// version being published again: its own paths, rules[i].when).
import type { CompiledRuleset, RuleError, RulesetBody } from '../domain/rules/ruleset.js'
import { compileRuleset } from '../domain/rules/cel.js'
import { AppError, type FieldError } from '../errors.js'

function fieldError (e: RuleError, at: string): FieldError {
  const where = e.position === null ? '' : ` (at position ${e.position})`
  return { path: at === '' ? e.path : `${at}.${e.path}`, message: e.ruleId === '' ? `${e.reason}${where}` : `${e.ruleId}: ${e.reason}${where}` }
}

/** Compiles the body or throws the problem; `which` names it in the detail. */
export function compileOrRefuse (body: RulesetBody, at = 'body', which = 'The ruleset'): CompiledRuleset {
  const result = compileRuleset(body)
  if (result.ok) return result.ruleset
  const errors = result.errors.map((e) => fieldError(e, at))
  throw new AppError('RULESET_INVALID', `${which} does not compile: ${errors.map((e) => e.message).join('; ')}`, { errors })
}
