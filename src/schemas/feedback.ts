// Feedback on an order's outcome: confirmed fraud and chargebacks feed the fraud history.
import { Type } from '@sinclair/typebox'
import { DateTime, StringEnum, Uuid } from './common.js'

export const FeedbackType = StringEnum(['chargeback', 'fraud_confirmed', 'legitimate'], {
  description: 'chargeback and fraud_confirmed file the order in the fraud history (一致 / 類似); legitimate takes it out again',
})

export const FeedbackRequest = Type.Object({
  type: FeedbackType,
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false })

export const FeedbackSchema = Type.Object({
  id: Uuid('Feedback id'),
  orderId: Type.String(),
  type: FeedbackType,
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime('When it was received'),
}, { $id: 'Feedback', additionalProperties: false })
