// Erasure of one person's data (個人データの消去): the request, and the answer saying what was touched.
import { Type, type Static } from '@sinclair/typebox'
import { AddressSchema } from './address.js'
import { DateTime, Uuid } from './common.js'

export const ErasureRequest = Type.Object({
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'The person\'s e-mail; found as orders file it (Gmail dots and +tags folded)' })),
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 30, description: 'The person\'s phone, any Japanese writing (090-1234-5678, +81 90 1234 5678)' })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The person\'s name, with `address`: 山田 太郎 and 山田太郎 are one name' })),
  address: Type.Optional(Type.Ref(AddressSchema, { description: 'With `name`: the person\'s address, matched as orders are (room included)' })),
}, {
  additionalProperties: false,
  description: 'Exactly one of: `email`; `phone`; or `name` with `address`',
  examples: [{ email: 'taro.yamada@example.jp' }, { phone: '090-1234-5678' },
    { name: '山田 太郎', address: { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '101' } }],
})

const Count = (description: string) => Type.Integer({ minimum: 0, description })

export const ErasureSchema = Type.Object({
  id: Uuid('Erasure id: the audit record, which keeps a salted hash of the identifier and never the identifier'),
  kind: Type.Union([Type.Literal('email'), Type.Literal('phone'), Type.Literal('name_address')], { description: 'What the person was identified by' }),
  touched: Type.Object({
    orders: Count('Scored orders deleted (with their stored answers)'),
    orderFeedback: Count('Feedback on those orders deleted'),
    fraudHistory: Count('Fraud-history identifiers of those orders deleted'),
    shipmentChecks: Count('Shipping-time checks of those orders deleted'),
    addressMatches: Count('Address-match audit rows of those orders deleted'),
    webhookEvents: Count('Webhook events about those orders deleted'),
    webhookDeliveries: Count('Deliveries of those events deleted'),
    webhookDigestItems: Count('Places of those events in hourly digests deleted'),
    addressMatchBatchRows: Count('Batch rows whose e-mail or address was blanked (their match results stay)'),
  }, { additionalProperties: false }),
  blocklistEntries: Type.Array(Type.Object({ id: Uuid('Entry id'), type: Type.String() }, { additionalProperties: false }), {
    description: 'This merchant\'s blocklist entries naming the person: kept (they are the merchant\'s own protection); DELETE /v1/blocklist/{id} drops one',
  }),
  createdAt: DateTime('When the erasure was made'),
}, {
  $id: 'Erasure',
  additionalProperties: false,
  examples: [{
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    kind: 'email',
    touched: { orders: 2, orderFeedback: 1, fraudHistory: 5, shipmentChecks: 1, addressMatches: 0, webhookEvents: 1, webhookDeliveries: 1, webhookDigestItems: 0, addressMatchBatchRows: 1 },
    blocklistEntries: [{ id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', type: 'email' }],
    createdAt: '2026-12-07T06:30:00.000Z',
  }],
})

export type Erasure = Static<typeof ErasureSchema>
