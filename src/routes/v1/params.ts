// Path parameters shared by the merchant and API key routes.
import { Type } from '@sinclair/typebox'
import { Uuid } from '../../schemas/common.js'

export const MerchantParams = Type.Object({ id: Uuid('Merchant id') }, { additionalProperties: false })

export const ApiKeyParams = Type.Object({
  id: Uuid('Merchant id'),
  keyId: Uuid('Key id'),
}, { additionalProperties: false })
