// Table types for Kysely. SQL names are snake_case; API shapes are mapped at the edge.
import type { ColumnType, Generated } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export interface MerchantsTable {
  id: Generated<string>
  name: string
  level_elevated_at: Generated<number>
  level_high_at: Generated<number>
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ApiKeysTable {
  id: Generated<string>
  merchant_id: string
  prefix: string
  name: string | null
  key_hash: Buffer
  scopes: string[]
  created_at: CreatedAt
  expires_at: Date | null
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface DB {
  merchants: MerchantsTable
  api_keys: ApiKeysTable
}
