// Merchant (加盟店) shapes, and the mapping from a database row.
import { Type, type Static } from '@sinclair/typebox'
import type { MerchantRow } from '../db/merchants.js'
import { DateTime, NextCursor, Uuid } from './common.js'

const LevelThreshold = (description: string) => Type.Integer({ minimum: 1, maximum: 100, description })

export const Thresholds = Type.Object({
  elevated: LevelThreshold('Scores from this value are `elevated` (seed 000: 10 and over are notified)'),
  high: LevelThreshold('Scores from this value are `high` (seed 000: 50 and over are probably fraud)'),
}, { $id: 'Thresholds', additionalProperties: false })

export const MerchantSchema = Type.Object({
  id: Uuid('Merchant id'),
  name: Type.String(),
  settings: Type.Object({ thresholds: Type.Ref(Thresholds) }, { additionalProperties: false }),
  createdAt: DateTime('When the merchant was created'),
  updatedAt: DateTime('When the merchant was last changed'),
}, { $id: 'Merchant', additionalProperties: false })

export const MerchantPage = Type.Object({
  items: Type.Array(Type.Ref(MerchantSchema)),
  nextCursor: NextCursor,
}, { $id: 'MerchantPage', additionalProperties: false })

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Display name of the merchant' })

const ThresholdsInput = Type.Object({
  elevated: Type.Optional(LevelThreshold('Default 10')),
  high: Type.Optional(LevelThreshold('Default 50')),
}, { additionalProperties: false })

export const MerchantCreate = Type.Object({
  name: Name,
  settings: Type.Optional(Type.Object({ thresholds: Type.Optional(ThresholdsInput) }, { additionalProperties: false })),
}, { additionalProperties: false })

export const MerchantUpdate = Type.Object({
  name: Type.Optional(Name),
  settings: Type.Optional(Type.Object({ thresholds: Type.Optional(ThresholdsInput) }, { additionalProperties: false })),
}, { additionalProperties: false, minProperties: 1 })

export type Merchant = Static<typeof MerchantSchema>

export function toMerchant (row: MerchantRow): Merchant {
  return {
    id: row.id,
    name: row.name,
    settings: { thresholds: { elevated: row.level_elevated_at, high: row.level_high_at } },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
