// Merchant blocklist shapes (ブラックリスト): an entry as given and as shinsa compares it.
import { Type, type Static } from '@sinclair/typebox'
import type { BlocklistRow } from '../db/blocklist.js'
import { DateTime, StringEnum, Uuid } from './common.js'

export const BLOCKLIST_TYPES = ['email', 'phone', 'name', 'address', 'card_bin', 'ip'] as const
export const BlocklistType = StringEnum(BLOCKLIST_TYPES, {
  description: 'email (an address, or a whole domain as @example.com), phone, name, address (one line), ' +
    'card_bin (6–8 digits), ip (an address or a CIDR range)',
})

export const BlocklistEntryRequest = Type.Object({
  type: BlocklistType,
  value: Type.String({ minLength: 1, maxLength: 300, description: 'As the merchant knows it; shinsa normalizes it' }),
  note: Type.Optional(Type.String({ maxLength: 1000, description: 'Why it is listed' })),
}, { additionalProperties: false })

export const BlocklistEntrySchema = Type.Object({
  id: Uuid('Entry id'),
  type: BlocklistType,
  value: Type.String({ description: 'As given' }),
  normalized: Type.String({
    description: 'What orders are compared on: the canonical e-mail, E.164 phone, folded name, address key, BIN or CIDR',
  }),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime('When it was listed'),
}, { $id: 'BlocklistEntry', additionalProperties: false })

export const BlocklistPage = Type.Object({
  items: Type.Array(Type.Ref(BlocklistEntrySchema)),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page; null on the last page' }),
}, { $id: 'BlocklistPage', additionalProperties: false })

export type BlocklistEntry = Static<typeof BlocklistEntrySchema>

export function toBlocklistEntry (row: BlocklistRow): BlocklistEntry {
  return { id: row.id, type: row.type, value: row.value, normalized: row.normalized, note: row.note, createdAt: row.created_at.toISOString() }
}
