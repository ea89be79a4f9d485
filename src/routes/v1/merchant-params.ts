// Shared by the merchant routes: the batch path parameter, and the merchant a request acts for.
import type { FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { Uuid } from '../../schemas/common.js'

export const BatchParams = Type.Object({ id: Uuid('Batch id') }, { additionalProperties: false })

/** Merchant routes run behind the merchant guard: the principal is always a merchant key. */
export function merchantOf (request: FastifyRequest): string {
  const p = request.principal
  if (p?.kind !== 'merchant') throw new Error('merchant route reached without a merchant key')
  return p.merchantId
}
