// A merchant ruleset as written: CEL rules, weight overrides of the built-in table, thresholds.
// The shape only; whether each `when` compiles is checked by the CEL engine at draft time.
import { Type } from '@sinclair/typebox'
import { REASON_CODES } from '../domain/scoring/reason.js'
import { RULE_LIMITS } from '../domain/rules/ruleset.js'
import { RuleActionSchema } from './order.js'

export const RuleSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Stable id within the merchant: what reasons and traces name' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  when: Type.String({ minLength: 1, maxLength: RULE_LIMITS.whenLength, description: 'A CEL expression of type bool over the vocabulary (README: Merchant rules)' }),
  action: Type.Ref(RuleActionSchema),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { $id: 'Rule', additionalProperties: false })

export const RulesetBodySchema = Type.Object({
  rules: Type.Array(Type.Ref(RuleSchema), { maxItems: RULE_LIMITS.rulesPerVersion }),
  weights: Type.Optional(Type.Object(Object.fromEntries(REASON_CODES.map((c) => [c, Type.Optional(Type.Integer({ minimum: -100, maximum: 100 }))])), {
    additionalProperties: false, description: 'Built-in weights replaced for this version: { "EMAIL_FREE_DOMAIN": 0 }',
  })),
  thresholds: Type.Optional(Type.Object({
    elevated: Type.Integer({ minimum: 0, maximum: 100 }), high: Type.Integer({ minimum: 0, maximum: 100 }),
  }, { additionalProperties: false, description: 'The merchant\'s thresholds replaced for this version' })),
}, { $id: 'RulesetBody', additionalProperties: false })
