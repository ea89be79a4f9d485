// A merchant's ruleset as written: CEL rules over the decision vocabulary (vocabulary.ts), plus
// overrides of the built-in weights and of the merchant's thresholds. Limits keep one version
// cheap to compile and to evaluate on every order.
import type { ReasonCode } from '../scoring/reason.js'
import type { Recommendation, Thresholds } from '../scoring/score.js'
import type { RuleVariables } from './vocabulary.js'

export type RuleAction = { add: number } | { set: Recommendation }

export type Rule = {
  /** Stable within the merchant: [A-Za-z0-9_-], 1–64; what the trace and the reasons name. */
  id: string
  name: string
  /** A CEL expression of type bool over the vocabulary. */
  when: string
  action: RuleAction
  note?: string
}

export type RulesetBody = {
  rules: Rule[]
  /** Built-in weights replaced for this version: `{ EMAIL_FREE_DOMAIN: 0 }`. */
  weights?: Partial<Record<ReasonCode, number>>
  /** The merchant's thresholds replaced for this version. */
  thresholds?: Thresholds
}

export const RULE_LIMITS = {
  rulesPerVersion: 200,
  /** Characters of one `when`. */
  whenLength: 2000,
  /** Nesting depth of one `when`'s syntax tree. */
  depth: 32,
  /** Nodes of one `when`'s syntax tree. */
  astNodes: 500,
  /** `add` points. */
  minPoints: -100,
  maxPoints: 100,
} as const

/** Why a rule was refused at draft time: which rule, where in `when` (0-based), and why. */
export type RuleError = { ruleId: string; index: number; path: string; position: number | null; reason: string }

/** A rule's fate on one order. */
export type RuleOutcome = { id: string; outcome: 'matched' | 'not_matched' | 'error'; error?: string }

/** A version compiled once (cel.ts): evaluates every rule in order on one order's variables. */
export interface CompiledRuleset {
  readonly body: RulesetBody
  /** One outcome per rule, in the body's order; a rule that throws or is not bool is an error, never a throw. */
  evaluate (vars: RuleVariables): RuleOutcome[]
}
