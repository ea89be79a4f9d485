// Address-match batch shapes: JSON rows in, status and results out.
import type { findBatch } from '../db/address-match-batches.js'
import { Type, type Static } from '@sinclair/typebox'
import { DateTime, StringEnum, Uuid } from './common.js'
import { FieldJudgments } from './address-match.js'

const Cell = (description: string, maxLength = 200) => Type.Optional(Type.String({ maxLength, description }))

export const BatchJsonRow = Type.Object({
  orderId: Cell('注文番号', 100),
  email: Cell('メールアドレス', 254),
  prefecture: Cell('都道府県'),
  city: Cell('市区町村'),
  town: Cell('地名'),
  block: Cell('丁目・番地・号'),
  room: Cell('階・部屋番号'),
  building: Cell('建物名'),
}, { additionalProperties: false, description: 'One row: seed 001\'s eight columns. A row with a missing or bad value is reported with the results, it does not fail the batch' })

export const BatchJsonBody = Type.Object({
  rows: Type.Array(BatchJsonRow, { minItems: 1 }),
}, { additionalProperties: false })

export const AddressMatchBatchSchema = Type.Object({
  id: Uuid('Batch id'),
  status: StringEnum(['queued', 'running', 'done', 'failed']),
  source: StringEnum(['csv', 'json']),
  encoding: Type.Union([StringEnum(['utf-8', 'shift_jis']), Type.Null()], { description: 'Of the uploaded CSV' }),
  counts: Type.Object({
    total: Type.Integer(),
    processed: Type.Integer(),
    full: Type.Integer(),
    partial: Type.Integer(),
    none: Type.Integer(),
    errors: Type.Integer({ description: 'Rows that could not be matched (see their error in the results)' }),
  }, { additionalProperties: false }),
  progress: Type.Number({ minimum: 0, maximum: 1, description: 'processed / total' }),
  createdAt: DateTime('When the batch was accepted'),
  startedAt: Type.Union([DateTime('When a worker started it'), Type.Null()]),
  finishedAt: Type.Union([DateTime('When it finished'), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()], { description: 'From acceptance to finish' }),
  failure: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'AddressMatchBatch', additionalProperties: false })

export const BatchResultRow = Type.Object({
  line: Type.Integer({ description: 'Line in the CSV (or position in the JSON rows, from 1)' }),
  orderId: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  prefecture: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  town: Type.Union([Type.String(), Type.Null()]),
  block: Type.Union([Type.String(), Type.Null()]),
  room: Type.Union([Type.String(), Type.Null()]),
  building: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([StringEnum(['full', 'partial', 'none']), Type.Null()], { description: 'null while pending, or for a row in error' }),
  count: Type.Union([Type.Integer(), Type.Null()]),
  fields: Type.Union([Type.Ref(FieldJudgments), Type.Null()]),
  error: Type.Union([Type.Object({ field: Type.String(), reason: Type.String() }, { additionalProperties: false }), Type.Null()]),
}, { $id: 'AddressMatchBatchResult', additionalProperties: false })

export const BatchResultPage = Type.Object({
  items: Type.Array(Type.Ref(BatchResultRow)),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page; null on the last page' }),
}, { $id: 'AddressMatchBatchResultPage', additionalProperties: false })

export type AddressMatchBatch = Static<typeof AddressMatchBatchSchema>

type BatchRecord = NonNullable<Awaited<ReturnType<typeof findBatch>>>

/** A batch as the API shows it (GET, and the batch.completed webhook). */
export function toBatch (b: BatchRecord): AddressMatchBatch {
  return {
    id: b.id,
    status: b.status,
    source: b.source,
    encoding: b.encoding as AddressMatchBatch['encoding'],
    counts: { total: b.total_rows, processed: b.processed_rows, full: b.full_count, partial: b.partial_count, none: b.none_count, errors: b.error_count },
    progress: b.total_rows === 0 ? 1 : Math.round((b.processed_rows / b.total_rows) * 10_000) / 10_000,
    createdAt: b.created_at.toISOString(),
    startedAt: b.started_at?.toISOString() ?? null,
    finishedAt: b.finished_at?.toISOString() ?? null,
    durationMs: b.finished_at === null ? null : b.finished_at.getTime() - b.created_at.getTime(),
    failure: b.failure,
  }
}
