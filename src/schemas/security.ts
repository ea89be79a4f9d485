// OpenAPI security requirements: who may call an operation. Two bearer schemes share the header;
// an API key's requirement names the scope it needs (OpenAPI 3.1 allows role names here).
import type { Scope } from '../domain/scopes.js'

export const SECURITY_SCHEMES = {
  operatorToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator credential: the value of SHINSA_ADMIN_TOKEN',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'A merchant API key (shinsa_…); an operation lists the scope it needs',
  },
} as const

type Requirements = Array<Record<string, string[]>>

export const PUBLIC: Requirements = []
export const OPERATOR: Requirements = [{ operatorToken: [] }]
export const OPERATOR_OR_MERCHANT: Requirements = [{ operatorToken: [] }, { apiKey: [] }]
export const merchantKey = (scope: Scope): Requirements => [{ apiKey: [scope] }]
