// Shipping-time check shapes (出荷時照合): the final ship-to, and the combined answer with what
// changed since authorization.
import { Type, type Static } from '@sinclair/typebox'
import { REASON_CODES } from '../domain/scoring/reason.js'
import { AddressSchema } from './address.js'
import { OrderId } from './address-match.js'
import { DateTime, StringEnum, Uuid } from './common.js'
import { AddressMatchSummary, DecidedBySchema, Level, ReasonSchema, Recommendation, VersionsSchema } from './order.js'

const Text = (description: string, maxLength = 200) => Type.String({ minLength: 1, maxLength, description })

export const ShipmentRequest = Type.Object({
  orderId: OrderId,
  shipTo: Type.Object({
    name: Type.Optional(Text('お届け先氏名')),
    nameKana: Type.Optional(Text('お届け先フリガナ')),
    phone: Type.Optional(Text('お届け先電話番号', 40)),
    address: Type.Ref(AddressSchema),
  }, { additionalProperties: false }),
  carrier: Type.Optional(Text('配送業者', 100)),
  trackingNumber: Type.Optional(Text('伝票番号', 100)),
}, { additionalProperties: false })

export const ShipmentChange = Type.Object({
  type: StringEnum(['address_changed', 'name_changed', 'phone_changed', 'reason_added', 'reason_removed']),
  field: Type.Optional(Type.String({ description: 'The changed field, for *_changed' })),
  code: Type.Optional(StringEnum(REASON_CODES, { description: 'The reason, for reason_added and reason_removed' })),
}, { $id: 'ShipmentChange', additionalProperties: false })

export const ShipmentSchema = Type.Object({
  id: Uuid('Id of this check'),
  orderId: Type.String(),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  level: Level,
  recommendation: Recommendation,
  reasons: Type.Array(Type.Ref(ReasonSchema), { description: 'Authorization reasons still standing, with the shipping-time ones; heaviest first' }),
  addressMatch: Type.Ref(AddressMatchSummary),
  authorization: Type.Union([
    Type.Object({
      score: Type.Integer(), level: Level, recommendation: Recommendation, evaluatedAt: DateTime('When it was scored'),
      rulesetVersion: Type.String({ description: 'The ruleset it was scored with; its standing reasons are weighed again under versions.ruleset' }),
    }, { additionalProperties: false }),
    Type.Null(),
  ], { description: 'The authorization-time answer; null when the order was never scored' }),
  changes: Type.Array(Type.Ref(ShipmentChange), { description: 'What differs from the authorization-time answer; empty when never scored' }),
  rulesetVersion: Type.String({ description: 'The version of the weights used (as versions.ruleset)' }),
  versions: Type.Ref(VersionsSchema),
  decidedBy: Type.Optional(Type.Ref(DecidedBySchema)),
  checkedAt: DateTime('When the check ran'),
}, { $id: 'Shipment', additionalProperties: false })

export type ShipmentAnswer = Static<typeof ShipmentSchema>
