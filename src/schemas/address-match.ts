// 不正住所照合 shapes: the request (seed 001's fields) and the answer (照合結果 and 判定結果).
import { Type, type Static } from '@sinclair/typebox'
import { AddressSchema } from './address.js'
import { DateTime, StringEnum, Uuid } from './common.js'

// Seed 001: 注文番号 in half-width characters; メールアドレス in half-width characters and -_.@.
export const OrderId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$', description: '注文番号: the merchant\'s order number (half-width, no spaces)' })
export const Email = Type.String({ minLength: 3, maxLength: 254, format: 'email', description: 'メールアドレス of the orderer' })

const Judgment = StringEnum(['hit', 'miss', 'unspecified'], { description: '該当あり / 該当なし / 指定なし' })

export const AddressMatchRequest = Type.Object({
  orderId: OrderId,
  email: Email,
  address: Type.Ref(AddressSchema),
}, { additionalProperties: false })

export const MatchedRecordSchema = Type.Object({
  issuer: Type.String({ description: 'The card issuer that reported the address' }),
  reportedOn: Type.String({ format: 'date' }),
}, { $id: 'MatchedRecord', additionalProperties: false })

export const FieldJudgments = Type.Object({
  prefecture: Judgment,
  city: Judgment,
  town: Judgment,
  block: Judgment,
  room: Judgment,
  building: Type.Union([Judgment], { description: 'Shown for information: the building never decides the result' }),
}, { $id: 'FieldJudgments', additionalProperties: false })

export const NormalizedAddressSchema = Type.Object({
  prefecture: Type.String(),
  city: Type.String(),
  town: Type.String(),
  block: Type.String(),
  room: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'NormalizedAddress', additionalProperties: false, description: 'The address as shinsa read it' })

export const AddressMatchSchema = Type.Object({
  id: Uuid('Id of this match in the audit trail'),
  orderId: Type.String(),
  result: StringEnum(['full', 'partial', 'none'], { description: 'full 完全一致 / partial 部分一致 / none 該当なし' }),
  count: Type.Integer({ description: 'How many store rows hit (several issuers may report one address)' }),
  fields: Type.Ref(FieldJudgments),
  records: Type.Array(Type.Ref(MatchedRecordSchema), { description: 'The store rows that hit, the closest first' }),
  normalized: Type.Ref(NormalizedAddressSchema),
  matchedAt: DateTime('When the match ran'),
}, { $id: 'AddressMatch', additionalProperties: false })

export type AddressMatch = Static<typeof AddressMatchSchema>
