// API key shapes. The key itself appears only in ApiKeyCreated, once.
import { Type, type Static } from '@sinclair/typebox'
import type { ApiKeyRow } from '../db/api-keys.js'
import { PRESETS, SCOPES } from '../domain/scopes.js'
import { DateTime, StringEnum, Uuid } from './common.js'

const ScopeSchema = StringEnum(SCOPES, { $id: 'Scope', description: 'A permission an API key carries' })

const Nullable = <T extends ReturnType<typeof DateTime>>(s: T) => Type.Union([s, Type.Null()])

const keyFields = {
  id: Uuid('Key id'),
  merchantId: Uuid('The merchant the key acts for'),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it in lists' }),
  name: Type.Union([Type.String(), Type.Null()], { description: 'What the key is for' }),
  scopes: Type.Array(Type.Ref(ScopeSchema)),
  createdAt: DateTime('When the key was created'),
  expiresAt: Nullable(DateTime('After this instant the key is refused; null: never expires')),
}

export const ApiKeySchema = Type.Object({
  ...keyFields,
  revokedAt: Nullable(DateTime('When the key was revoked; null: not revoked')),
  status: StringEnum(['active', 'expired', 'revoked']),
}, { $id: 'ApiKey', additionalProperties: false })

export const ApiKeyCreated = Type.Object({
  ...keyFields,
  key: Type.String({ description: 'The API key. Shown only in this answer: store it now' }),
}, { $id: 'ApiKeyCreated', additionalProperties: false })

export const ApiKeyList = Type.Object({ items: Type.Array(Type.Ref(ApiKeySchema)) }, { $id: 'ApiKeyList', additionalProperties: false })

export const ApiKeyCreate = Type.Object({
  preset: Type.Optional(StringEnum(Object.keys(PRESETS) as Array<keyof typeof PRESETS>, {
    description: 'full: every scope; general (一般): all but webhooks:manage and personal-data:erase; shipping (出荷): shipments:check and addresses:match',
  })),
  scopes: Type.Optional(Type.Array(Type.Ref(ScopeSchema), { minItems: 1, maxItems: SCOPES.length, uniqueItems: true })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  expiresAt: Type.Optional(DateTime('When the key stops working; must be in the future')),
}, { additionalProperties: false, description: 'Give exactly one of preset or scopes' })

export type ApiKey = Static<typeof ApiKeySchema>

function status (row: ApiKeyRow, now: number): ApiKey['status'] {
  if (row.revoked_at !== null) return 'revoked'
  if (row.expires_at !== null && row.expires_at.getTime() <= now) return 'expired'
  return 'active'
}

export function toApiKey (row: ApiKeyRow, now = Date.now()): ApiKey {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    prefix: row.prefix,
    name: row.name,
    scopes: row.scopes as ApiKey['scopes'],
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status: status(row, now),
  }
}

export { ScopeSchema }
