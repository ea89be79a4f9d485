// Merchant (加盟店) shapes, and the mapping from a database row.
import { Type, type Static } from '@sinclair/typebox'
import type { MerchantRow } from '../db/merchants.js'
import { DateTime, NextCursor, Uuid } from './common.js'

const LevelThreshold = (description: string) => Type.Integer({ minimum: 1, maximum: 100, description })

export const Thresholds = Type.Object({
  elevated: LevelThreshold('Scores from this value are `elevated` (seed 000: 10 and over are notified)'),
  high: LevelThreshold('Scores from this value are `high` (seed 000: 50 and over are probably fraud)'),
}, { $id: 'Thresholds', additionalProperties: false })

// A chargeback may come 120 days after the order (Visa and Mastercard's usual window), so no
// merchant keeps less: an order purged before its chargeback could not enter the fraud history.
export const RETENTION_MIN_DAYS = 120
export const RETENTION_DEFAULT_DAYS = 400

const PublishRequiresSecondKey = (more: string) => Type.Boolean({
  description: 'Maker-checker (二者承認): a ruleset version is published only by an API key other than the one that drafted it' + more,
})

const RetentionDays = (description: string) => Type.Integer({ minimum: RETENTION_MIN_DAYS, maximum: 3650, description })

export const MerchantSchema = Type.Object({
  id: Uuid('Merchant id'),
  name: Type.String(),
  settings: Type.Object({
    thresholds: Type.Ref(Thresholds),
    retentionDays: RetentionDays('Days orders, checks, batch rows and webhook events are kept before the purge deletes them'),
    rules: Type.Object({ publishRequiresSecondKey: PublishRequiresSecondKey('') }, { additionalProperties: false }),
  }, { additionalProperties: false }),
  createdAt: DateTime('When the merchant was created'),
  updatedAt: DateTime('When the merchant was last changed'),
}, { $id: 'Merchant', additionalProperties: false })

export const MerchantPage = Type.Object({
  items: Type.Array(Type.Ref(MerchantSchema)),
  nextCursor: NextCursor,
}, { $id: 'MerchantPage', additionalProperties: false })

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Display name of the merchant' })

const SettingsInput = () => Type.Object({
  thresholds: Type.Optional(ThresholdsInput),
  retentionDays: Type.Optional(RetentionDays(`Default ${RETENTION_DEFAULT_DAYS} (beyond the chargeback window); at least ${RETENTION_MIN_DAYS}, ` +
    'at most the operator\'s SHINSA_RETENTION_MAX_DAYS (422 RETENTION_TOO_LONG above it)')),
  rules: Type.Optional(Type.Object({
    publishRequiresSecondKey: Type.Optional(PublishRequiresSecondKey(' (default false)')),
  }, { additionalProperties: false })),
}, { additionalProperties: false })

const ThresholdsInput = Type.Object({
  elevated: Type.Optional(LevelThreshold('Default 10')),
  high: Type.Optional(LevelThreshold('Default 50')),
}, { additionalProperties: false })

export const MerchantCreate = Type.Object({
  name: Name,
  settings: Type.Optional(SettingsInput()),
}, { additionalProperties: false })

export const MerchantUpdate = Type.Object({
  name: Type.Optional(Name),
  settings: Type.Optional(SettingsInput()),
}, { additionalProperties: false, minProperties: 1 })

export type Merchant = Static<typeof MerchantSchema>

export function toMerchant (row: MerchantRow): Merchant {
  return {
    id: row.id,
    name: row.name,
    settings: {
      thresholds: { elevated: row.level_elevated_at, high: row.level_high_at },
      retentionDays: row.retention_days,
      rules: { publishRequiresSecondKey: row.publish_requires_second_key },
    },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
