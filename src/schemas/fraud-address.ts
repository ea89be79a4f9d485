// Fraud-address store shapes: import records and stored rows, mapped from database rows.
import { Type, type Static } from '@sinclair/typebox'
import type { ImportRow, StoredFraudAddress } from '../db/fraud-addresses.js'
import { DateTime, StringEnum, Uuid } from './common.js'

export const ImportLineErrorSchema = Type.Object({
  line: Type.Integer({ description: 'Line number in the upload (the header is line 1)' }),
  field: Type.String({ description: 'The column at fault, or "line" for the whole line' }),
  reason: Type.String(),
}, { $id: 'ImportLineError', additionalProperties: false })

export const FraudAddressImportSchema = Type.Object({
  id: Uuid('Import id'),
  name: Type.String(),
  status: StringEnum(['running', 'done', 'failed'], { description: 'failed: the upload stopped (see failure); what landed before is counted' }),
  encoding: Type.Union([StringEnum(['utf-8', 'shift_jis']), Type.Null()]),
  startedAt: DateTime('When the upload started'),
  finishedAt: Type.Union([DateTime('When it finished'), Type.Null()]),
  lines: Type.Integer({ description: 'Data lines read (the header excluded)' }),
  inserted: Type.Integer({ description: 'Rows added to the store' }),
  duplicates: Type.Integer({ description: 'Valid rows already in the store (re-imports add nothing twice)' }),
  rejected: Type.Integer({ description: 'Lines refused; the first 1,000 are listed in errors' }),
  errors: Type.Array(Type.Ref(ImportLineErrorSchema)),
  failure: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'FraudAddressImport', additionalProperties: false })

export const FraudAddressSchema = Type.Object({
  id: Type.String({ pattern: '^[0-9]+$', description: 'Store row id' }),
  issuer: Type.String({ description: 'The card issuer (カード会社) that reported the address' }),
  reportedOn: Type.String({ format: 'date' }),
  prefecture: Type.String(),
  city: Type.String(),
  town: Type.String(),
  block: Type.String(),
  room: Type.Union([Type.String(), Type.Null()]),
  building: Type.Union([Type.String(), Type.Null()]),
  importId: Type.Union([Uuid('The import that loaded it'), Type.Null()]),
  createdAt: DateTime('When it was stored'),
}, { $id: 'FraudAddress', additionalProperties: false, description: 'A store row as the issuer reported it' })

export const FraudAddressPage = Type.Object({
  items: Type.Array(Type.Ref(FraudAddressSchema)),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page; null on the last page' }),
}, { $id: 'FraudAddressPage', additionalProperties: false })

export function toImport (row: ImportRow): Static<typeof FraudAddressImportSchema> {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    encoding: (row.encoding as 'utf-8' | 'shift_jis' | null),
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    lines: row.lines,
    inserted: row.inserted,
    duplicates: row.duplicates,
    rejected: row.rejected,
    errors: row.errors,
    failure: row.failure,
  }
}

export function toFraudAddress (row: StoredFraudAddress): Static<typeof FraudAddressSchema> {
  return {
    id: String(row.id),
    issuer: row.issuer,
    reportedOn: row.reported_on,
    prefecture: row.prefecture,
    city: row.city,
    town: row.town,
    block: row.block,
    room: row.room,
    building: row.building,
    importId: row.import_id,
    createdAt: row.created_at.toISOString(),
  }
}
