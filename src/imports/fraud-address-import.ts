// Streams an issuer CSV into the fraud-address store: header checked before anything is stored,
// each line validated (bad lines, a card number in any field among them, reported by number and
// skipped, never stored), good lines landed in chunks, each chunk its own transaction together
// with the import record's counts. An upload that does not arrive whole (too large, cut for
// stalling, the client gone) keeps nothing: its chunks are deleted and its record says why.
import type { Database } from '../db/connect.js'
import { createImport, discardImport, finishImport, insertFraudAddressChunk, type ImportRow } from '../db/fraud-addresses.js'
import type { ImportLineError } from '../db/types.js'
import { readCsv, type CsvLineError } from '../csv/read.js'
import { AppError } from '../errors.js'
import { IMPORT_COLUMNS, importRow, type FraudAddressRow } from '../domain/fraud-address/import-row.js'

export type ImportOptions = {
  name: string
  maxBytes: number
  chunkSize?: number
  /** Called after each chunk lands: data lines read so far. */
  onProgress?: (lines: number) => void
  /** The date rows may not be reported after (YYYY-MM-DD, Asia/Tokyo); default today. */
  today?: string
}

const fieldOf = (e: CsvLineError): string => (e.column === undefined ? 'line' : IMPORT_COLUMNS[e.column - 1] ?? `column ${e.column}`)

export const tokyoToday = (): string => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10)

function checkHeader (fields: string[] | undefined): void {
  if (fields === undefined) {
    throw new AppError('CSV_INVALID', 'The file is empty', { errors: [{ path: 'line 1', message: 'is missing: expected the header row' }] })
  }
  const got = fields.map((f) => f.trim().toLowerCase())
  if (got.join(',') !== IMPORT_COLUMNS.join(',')) {
    throw new AppError('CSV_INVALID', `The first line must be the header ${IMPORT_COLUMNS.join(',')}`, {
      errors: [{ path: 'line 1', message: `is "${fields.join(',').slice(0, 200)}": expected ${IMPORT_COLUMNS.join(',')}` }],
    })
  }
}

export async function importFraudAddresses (
  database: Pick<Database, 'db' | 'copySession'>,
  input: AsyncIterable<Buffer | string>,
  opts: ImportOptions
): Promise<ImportRow> {
  let inputFailed = false
  const watched = (async function * () {
    try { yield * input } catch (err) { inputFailed = true; throw err }
  })()
  const csv = readCsv(watched, { maxBytes: opts.maxBytes })
  const records = csv.records[Symbol.asyncIterator]()
  const first = await records.next()
  // The reader may already have gone past line 1: only a broken header refuses the whole file.
  const headerError = csv.errors.find((e) => e.line === 1)
  if (headerError !== undefined) {
    throw new AppError('CSV_INVALID', headerError.reason, { errors: [{ path: 'line 1', message: headerError.reason }] })
  }
  checkHeader(first.done === true ? undefined : first.value.fields)

  const today = opts.today ?? tokyoToday()
  const chunkSize = opts.chunkSize ?? 5000
  const record = await createImport(database.db, opts.name, csv.encoding() ?? null)
  let rows: FraudAddressRow[] = []
  let errors: ImportLineError[] = []
  let lines = 0
  let total = 0
  const flush = async () => {
    // Lines the CSV reader skipped (undecodable, broken quoting, a card number) are rejected
    // lines too; past its cap it only counts them, and so does the record.
    const drained = csv.drain()
    const skipped = drained.errors.map((e) => ({ line: e.line, field: fieldOf(e), reason: e.reason }))
    const chunk = { rows, lines: lines + skipped.length + drained.unlisted, errors: [...errors, ...skipped], unlisted: drained.unlisted }
    rows = []
    errors = []
    lines = 0
    await database.copySession((session) => insertFraudAddressChunk(session, record.id, chunk))
    total += chunk.lines
    opts.onProgress?.(total)
  }
  try {
    for (let next = await records.next(); next.done !== true; next = await records.next()) {
      lines++
      const result = importRow(next.value.fields, next.value.line, today)
      if ('reason' in result) errors.push(result)
      else rows.push(result)
      if (rows.length + errors.length >= chunkSize) await flush()
    }
    await flush()
    return await finishImport(database.db, record.id, { status: 'done' })
  } catch (err) {
    if (inputFailed || (err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE')) {
      // Refused whole, as if the upload had declared its size, or never wholly received: nothing
      // it brought is kept.
      const reason = err instanceof AppError ? err.message : 'the upload ended before it was complete'
      await discardImport(database.db, record.id, reason.endsWith('nothing of it was kept') ? reason : `${reason}; nothing was kept`)
      throw err
    }
    const failure = err instanceof AppError ? err.message : 'the import stopped on an internal error'
    await finishImport(database.db, record.id, { status: 'failed', failure }).catch(() => {})
    if (err instanceof AppError) {
      throw new AppError(err.code, `${err.message}; import ${record.id} stopped, what landed before is recorded there`, { errors: err.errors })
    }
    throw err
  }
}
