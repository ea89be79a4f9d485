// Schemas with an $id, registered once with app.addSchema: they become OpenAPI components.
import { ApiKeyCreated, ApiKeyList, ApiKeySchema, ScopeSchema } from './api-key.js'
import { MerchantPage, MerchantSchema, Thresholds } from './merchant.js'

export const sharedSchemas = [ScopeSchema, Thresholds, MerchantSchema, MerchantPage, ApiKeySchema, ApiKeyCreated, ApiKeyList]
