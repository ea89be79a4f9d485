// Ruleset shapes: a version's body as merchants write it (CEL rules, weights, thresholds), the
// version with who made and published it, its publication history and its per-rule counts.
import { Type, type Static } from '@sinclair/typebox'
import type { PublicationRow, RuleCountRow, RulesetHead, RulesetRow } from '../db/rulesets.js'
import { RULE_LIMITS, type RuleAction } from '../domain/rules/ruleset.js'
import { REASON_CODES } from '../domain/scoring/reason.js'
import { DateTime, NextCursor, StringEnum, Uuid } from './common.js'
import { Thresholds } from './merchant.js'

const Points = Type.Integer({ minimum: RULE_LIMITS.minPoints, maximum: RULE_LIMITS.maxPoints, description: 'Points added to the score (negative lowers it)' })

// One object with exactly one of the two, rather than a union: a refusal then names the field
// that is wrong (`action.set must be one of …`), not every branch the value failed.
const Action = Type.Unsafe<RuleAction>(Type.Object({
  add: Type.Optional(Points),
  set: Type.Optional(StringEnum(['hold', 'review', 'proceed'], { description: 'The recommendation, whatever the score' })),
}, { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'When `when` holds: exactly one of `add` (points) and `set` (a recommendation)' }))

export const RuleSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Stable id within the merchant: what traces and reasons name' }),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'What the rule is, for people' }),
  when: Type.String({ minLength: 1, maxLength: RULE_LIMITS.whenLength, description: 'A CEL expression of type bool over the decision vocabulary (order, identities, features, reasons, score, hour, lists)' }),
  action: Action,
  note: Type.Optional(Type.String({ maxLength: 1000, description: 'Why the rule exists' })),
}, { $id: 'Rule', additionalProperties: false })

const Weights = Type.Object(
  Object.fromEntries(REASON_CODES.map((c) => [c, Type.Optional(Type.Integer({ minimum: -100, maximum: 100 }))])),
  { additionalProperties: false, description: 'Built-in weights replaced for this version, by reason code' },
)

export const RulesetBodySchema = Type.Object({
  rules: Type.Array(Type.Ref(RuleSchema), { maxItems: RULE_LIMITS.rulesPerVersion, description: 'Evaluated in order on every order' }),
  weights: Type.Optional(Weights),
  thresholds: Type.Optional(Type.Ref(Thresholds, { description: 'The merchant\'s level thresholds replaced for this version' })),
}, {
  $id: 'RulesetBody',
  additionalProperties: false,
  examples: [{
    rules: [
      { id: 'high-amount-new-buyer', name: '高額・初回購入', when: 'order.amount >= 100000 && features.merchantOrders > 30', action: { add: 30 }, note: '10万円以上は目視確認へ' },
      { id: 'disposable-email-hold', name: '使い捨てメールは保留', when: '"EMAIL_DISPOSABLE" in reasons', action: { set: 'hold' } },
    ],
    weights: { EMAIL_FREE_DOMAIN: 0 },
    thresholds: { elevated: 15, high: 60 },
  }],
})

export const PublicationSchema = Type.Object({
  kind: StringEnum(['live', 'shadow', 'shadow_cleared'], { description: 'live: published; shadow: made the shadow; shadow_cleared: stopped being the shadow' }),
  keyId: Type.Union([Uuid('The API key that did it'), Type.Null()]),
  at: DateTime('When'),
}, { $id: 'RulesetPublication', additionalProperties: false })

const summaryFields = {
  version: Type.Integer({ minimum: 1, description: 'Numbered per merchant: 1, 2, 3 …' }),
  status: StringEnum(['draft', 'published'], { description: 'draft until first published; published ever after (rolled back or not)' }),
  live: Type.Boolean({ description: 'This version decides the merchant\'s orders' }),
  shadow: Type.Boolean({ description: 'This version runs beside the live one, deciding nothing' }),
  ruleCount: Type.Integer({ minimum: 0 }),
  createdBy: Type.Union([Uuid('The API key that drafted it'), Type.Null()]),
  createdAt: DateTime('When it was drafted'),
  publishedBy: Type.Union([Uuid('The API key that first published it'), Type.Null()]),
  publishedAt: Type.Union([DateTime('When it was first published'), Type.Null()]),
  history: Type.Array(Type.Ref(PublicationSchema), { description: 'This version\'s publications, oldest first' }),
}

const Counts = Type.Object({
  evaluated: Type.Integer({ minimum: 0 }),
  matched: Type.Integer({ minimum: 0 }),
  errors: Type.Integer({ minimum: 0, description: 'Orders on which the rule failed (it then counts as not matched)' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([DateTime('When the last error happened'), Type.Null()]),
}, { additionalProperties: false })

export const RuleCountsSchema = Type.Object({
  ruleId: Type.String(),
  live: Counts,
  shadow: Counts,
}, { $id: 'RuleCounts', additionalProperties: false, description: 'Orders this rule saw while the version was live, and while it was the shadow' })

const EXAMPLE_SUMMARY = {
  version: 3, status: 'published', live: true, shadow: false, ruleCount: 2,
  createdBy: '6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b', createdAt: '2026-12-07T01:15:00.000Z',
  publishedBy: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', publishedAt: '2026-12-07T02:00:00.000Z',
  history: [
    { kind: 'shadow', keyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at: '2026-12-07T01:30:00.000Z' },
    { kind: 'shadow_cleared', keyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at: '2026-12-07T02:00:00.000Z' },
    { kind: 'live', keyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at: '2026-12-07T02:00:00.000Z' },
  ],
}
const zero = { evaluated: 0, matched: 0, errors: 0, lastError: null, lastErrorAt: null }

export const RulesetSummarySchema = Type.Object(summaryFields, { $id: 'RulesetSummary', additionalProperties: false, examples: [EXAMPLE_SUMMARY] })

export const RulesetSchema = Type.Object({
  ...summaryFields,
  body: Type.Ref(RulesetBodySchema),
  ruleCounts: Type.Array(Type.Ref(RuleCountsSchema), { description: 'One per rule, in the body\'s order (zeros until it has run)' }),
}, {
  $id: 'Ruleset',
  additionalProperties: false,
  examples: [{
    ...EXAMPLE_SUMMARY,
    body: RulesetBodySchema.examples[0],
    ruleCounts: [
      { ruleId: 'high-amount-new-buyer', live: { evaluated: 1820, matched: 41, errors: 0, lastError: null, lastErrorAt: null }, shadow: { ...zero, evaluated: 600, matched: 12 } },
      { ruleId: 'disposable-email-hold', live: { evaluated: 1820, matched: 3, errors: 0, lastError: null, lastErrorAt: null }, shadow: { ...zero, evaluated: 600 } },
    ],
  }],
})

export const RulesetPage = Type.Object({
  items: Type.Array(Type.Ref(RulesetSummarySchema), { description: 'Newest version first' }),
  nextCursor: NextCursor,
  live: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'The live version; null: the built-in rules alone decide' }),
  shadow: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'The shadow version, if any' }),
}, { $id: 'RulesetPage', additionalProperties: false, examples: [{ items: [EXAMPLE_SUMMARY], nextCursor: null, live: 3, shadow: null }] })

export type RulesetSummary = Static<typeof RulesetSummarySchema>

export function toRulesetSummary (row: RulesetRow, head: RulesetHead, history: readonly PublicationRow[]): RulesetSummary {
  return {
    version: row.version,
    status: row.status,
    live: head.live === row.version,
    shadow: head.shadow === row.version,
    ruleCount: row.body.rules.length,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    publishedBy: row.published_by,
    publishedAt: row.published_at?.toISOString() ?? null,
    history: history.filter((p) => p.version === row.version).map((p) => ({ kind: p.kind, keyId: p.key_id, at: p.at.toISOString() })),
  }
}

function counts (row: RuleCountRow | undefined): Static<typeof Counts> {
  if (row === undefined) return { ...zero }
  return {
    evaluated: Number(row.evaluated), matched: Number(row.matched), errors: Number(row.errors),
    lastError: row.last_error, lastErrorAt: row.last_error_at?.toISOString() ?? null,
  }
}

export function toRuleset (row: RulesetRow, head: RulesetHead, history: readonly PublicationRow[], ruleCounts: readonly RuleCountRow[]) {
  const find = (id: string, role: 'live' | 'shadow') => ruleCounts.find((c) => c.rule_id === id && c.role === role)
  return {
    ...toRulesetSummary(row, head, history),
    body: row.body,
    ruleCounts: row.body.rules.map((r) => ({ ruleId: r.id, live: counts(find(r.id, 'live')), shadow: counts(find(r.id, 'shadow')) })),
  }
}
