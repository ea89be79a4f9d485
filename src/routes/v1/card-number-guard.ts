// PCI DSS: a request carrying a full card number (PAN) is refused before anything reads it —
// before schema validation, so it is refused whatever else is wrong — and the number is neither
// echoed, logged nor stored. The merchant's own identifiers (orderId, sku, trackingNumber) are
// exempt: a numeric order number is never mistaken for a card.
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../errors.js'
import { findCardNumberIn } from '../../domain/scoring/pan.js'

export async function refuseCardNumbers (request: FastifyRequest): Promise<void> {
  const path = findCardNumberIn(request.body)
  if (path === null) return
  throw new AppError('CARD_NUMBER_REFUSED', `body.${path} holds a full card number; send card.bin and card.last4 only`, {
    errors: [{ path: `body.${path}`, message: 'must not hold a full card number (PAN)' }],
  })
}
