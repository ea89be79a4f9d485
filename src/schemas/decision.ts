// A stored decision as GET /v1/orders/{orderId} answers it (what it was computed from, how, the
// shadow version's outcome, the labels) and the what-if of an order under another ruleset.
import { Type, type Static } from '@sinclair/typebox'
import { REASON_CODES } from '../domain/scoring/reason.js'
import { BLOCKLIST_TYPES } from './blocklist.js'
import { DateTime, StringEnum } from './common.js'
import { FeedbackSchema } from './feedback.js'
import { AddressMatchSummary, DecidedBySchema, Level, OrderRequest, ReasonSchema, Recommendation, ScoreSchema } from './order.js'
import { RulesetBodySchema } from './ruleset.js'

const Message = Type.Object({ ja: Type.String(), en: Type.String() }, { additionalProperties: false })

export const FeaturesSchema = Type.Object({
  order: Type.Omit(OrderRequest, [], { description: 'The request as sent' }),
  orderedAt: DateTime('orderedAt, or when the order was scored if the request had none'),
  identities: Type.Record(Type.String(), Type.String(), { description: 'Normalized identities the rules see (email, emailDomain, phone, buyerName, shipToName, buyerPrefecture, buyerCity, shipToPrefecture, shipToCity, shipToPostalCode); absent when unknown' }),
  evidence: Type.Object({
    fraudAddress: Type.Ref(AddressMatchSummary),
    blocklist: Type.Array(Type.Object({ type: StringEnum(BLOCKLIST_TYPES), field: Type.String() }, { additionalProperties: false })),
    history: Type.Array(Type.Object({ field: Type.String(), kind: Type.String(), how: StringEnum(['exact', 'similar']) }, { additionalProperties: false })),
    shipToBuyers: Type.Integer({ minimum: 0 }),
    buyerHighValueOrders: Type.Integer({ minimum: 0 }),
    amounts: Type.Object({ n: Type.Number(), sumLog: Type.Number(), sumLogSq: Type.Number() }, { additionalProperties: false, description: 'The merchant\'s running ln(amount) statistics at that moment' }),
  }, { additionalProperties: false, description: 'What the database knew about the order at that moment' }),
  signals: Type.Array(Type.Object({ code: StringEnum(REASON_CODES), message: Message, fields: Type.Array(Type.String()) }, { additionalProperties: false }),
    { description: 'The built-in signals that fired, unweighed: a version\'s table weighs them' }),
}, { $id: 'DecisionFeatures', additionalProperties: false })

export const TraceSchema = Type.Object({
  builtin: Type.String({ description: 'The built-in table\'s version' }),
  ruleset: Type.Union([Type.Integer(), Type.Null()], { description: 'The merchant ruleset version, null when none' }),
  thresholds: Type.Object({ elevated: Type.Integer(), high: Type.Integer() }, { additionalProperties: false }),
  builtinScore: Type.Integer({ description: 'The built-in score the rules saw (score in the vocabulary)' }),
  contributions: Type.Array(Type.Object({
    code: StringEnum([...REASON_CODES, 'MERCHANT_RULE']), weight: Type.Integer(), ruleId: Type.Optional(Type.String()),
  }, { additionalProperties: false }), { description: 'Each reason\'s points' }),
  rules: Type.Array(Type.Object({
    id: Type.String(), outcome: StringEnum(['matched', 'not_matched', 'error']), error: Type.Optional(Type.String({ description: 'Why it could not be evaluated: it counts as not matched' })),
  }, { additionalProperties: false }), { description: 'Every merchant rule, in order' }),
  floor: Type.Union([Type.Object({ code: StringEnum(REASON_CODES), level: StringEnum(['elevated', 'high']) }, { additionalProperties: false }), Type.Null()],
    { description: 'The reason whose floor lifted the level' }),
  decidedBy: Type.Ref(DecidedBySchema),
}, { $id: 'DecisionTrace', additionalProperties: false })

export const StoredDecisionSchema = Type.Object({
  orderId: Type.String(),
  answer: Type.Ref(ScoreSchema, { description: 'What the score call answered' }),
  features: Type.Union([Type.Ref(FeaturesSchema), Type.Null()], { description: 'Null for an order scored before decisions were recorded' }),
  trace: Type.Union([Type.Ref(TraceSchema), Type.Null()]),
  shadow: Type.Union([Type.Object({
    version: Type.Integer(), score: Type.Integer(), level: Level, recommendation: Recommendation, trace: Type.Ref(TraceSchema),
  }, { additionalProperties: false }), Type.Null()], { description: 'The shadow version\'s outcome, never answered; null when none was set' }),
  replay: Type.Union([Type.Object({
    identical: Type.Boolean({ description: 'The stored features under the stored versions give the stored answer' }),
  }, { additionalProperties: false }), Type.Null()], { description: 'Null when there are no features to replay' }),
  outcome: Type.Union([StringEnum(['chargeback', 'fraud_confirmed', 'legitimate']), Type.Null()], { description: 'The latest label' }),
  labels: Type.Array(Type.Ref(FeedbackSchema), { description: 'Every feedback, oldest first' }),
}, { $id: 'StoredDecision', additionalProperties: false })

export const WhatIfRequest = Type.Union([
  Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'One of the merchant\'s ruleset versions' }) }, { additionalProperties: false }),
  Type.Object({ ruleset: Type.Ref(RulesetBodySchema, { description: 'An unsaved ruleset' }) }, { additionalProperties: false }),
], { examples: [{ version: 4 }, { ruleset: { rules: [{ id: 'far-high-value', name: '高額・遠隔地配送', when: 'order.amount >= 50000 && order.shipTo.address.prefecture != order.buyer.address.prefecture', action: { add: 20 } }] } }] })

export const WhatIfSchema = Type.Object({
  orderId: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()], { description: 'The version evaluated; null for an unsaved ruleset' }),
  decision: Type.Object({
    score: Type.Integer(), level: Level, recommendation: Recommendation,
    reasons: Type.Array(Type.Ref(ReasonSchema)), trace: Type.Ref(TraceSchema),
  }, { additionalProperties: false }),
  stored: Type.Object({
    score: Type.Integer(), level: Level, recommendation: Recommendation,
    merchantRuleset: Type.Union([Type.Integer(), Type.Null()], { description: 'The merchant version it was decided under' }),
  }, { additionalProperties: false, description: 'What was decided when the order was scored' }),
  difference: Type.Object({
    score: Type.Integer({ description: 'decision.score − stored.score' }),
    levelChanged: Type.Boolean(),
    recommendationChanged: Type.Boolean(),
    reasonsAdded: Type.Array(Type.String(), { description: 'Reason codes (rule ids for MERCHANT_RULE, as MERCHANT_RULE:<id>) only in the decision' }),
    reasonsRemoved: Type.Array(Type.String(), { description: '… only in the stored answer' }),
  }, { additionalProperties: false }),
}, { $id: 'WhatIf', additionalProperties: false })

export type StoredDecision = Static<typeof StoredDecisionSchema>
