// A batch upload (seed 001's CSV: 注文番号,メールアドレス,都道府県,市区町村,地名,丁目・番地・号,
// 階・部屋番号,建物名; header optional; UTF-8 or Shift_JIS) read whole before anything is stored:
// a structural fault (column count, undecodable line, broken quoting, too many rows) or a full card
// number in any field refuses the upload, every such line listed (up to 100), nothing stored.
import { AppError, type FieldError } from '../errors.js'
import { readCsv, type CsvEncoding } from '../csv/read.js'
import type { BatchRowInput } from '../domain/address-batch/evaluate-row.js'

export type BatchRow = BatchRowInput & { line: number }

const MAX_LISTED = 100

// Seed 001's labels (住所(…) optional), and the English names of the JSON rows.
const LABELS = [/^(注文番号|order.?id)$/i, /^(メールアドレス|e-?mail)$/i, /都道府県|^prefecture$/i, /市区町村|^city$/i, /地名|^town$/i, /丁目|^block$/i]

/** A header names the columns: most labels match and column 2 is no e-mail address. */
function isHeader (fields: string[]): boolean {
  const cells = fields.map((f) => f.trim())
  if ((cells[1] ?? '').includes('@')) return false
  return LABELS.filter((label, i) => label.test(cells[i] ?? '')).length >= 4
}

const orNull = (s: string | undefined): string | null => (s === undefined || s.trim() === '' ? null : s.trim())

export function toBatchRow (fields: string[], line: number): BatchRow {
  const [orderId, email, prefecture, city, town, block, room, building] = fields
  return {
    line,
    orderId: orNull(orderId), email: orNull(email), prefecture: orNull(prefecture), city: orNull(city),
    town: orNull(town), block: orNull(block), room: orNull(room), building: orNull(building),
  }
}

export async function readBatchCsv (
  input: AsyncIterable<Buffer | string>,
  limits: { maxRows: number; maxBytes: number }
): Promise<{ rows: BatchRow[]; encoding: CsvEncoding }> {
  const csv = readCsv(input, { maxBytes: limits.maxBytes })
  const rows: BatchRow[] = []
  const faults: FieldError[] = []
  let faulty = 0
  let first = true
  for await (const { line, fields } of csv.records) {
    if (first) {
      first = false
      if (isHeader(fields)) continue
    }
    // Spreadsheets drop trailing empty columns: 6 to 8 are read, the optional room and building last.
    if (fields.length < 6 || fields.length > 8) {
      faulty++
      if (faults.length < MAX_LISTED) faults.push({ path: `line ${line}`, message: `has ${fields.length} columns, expected 8` })
      continue
    }
    rows.push(toBatchRow(fields, line))
    if (rows.length > limits.maxRows) {
      throw new AppError('PAYLOAD_TOO_LARGE', `A batch holds at most ${limits.maxRows} rows; split the file`)
    }
  }
  const { errors, unlisted } = csv.drain()
  for (const e of errors) if (faults.length < MAX_LISTED) faults.push({ path: `line ${e.line}`, message: e.reason })
  faulty += errors.length + unlisted
  if (faulty > 0) {
    const more = faulty > faults.length ? ` (${faulty - faults.length} more not listed)` : ''
    throw new AppError('CSV_INVALID', `${faulty} line${faulty === 1 ? '' : 's'} cannot be read; nothing was stored${more}`, {
      errors: faults.sort((a, b) => Number(a.path.slice(5)) - Number(b.path.slice(5))),
    })
  }
  if (rows.length === 0) throw new AppError('CSV_INVALID', 'The file holds no rows', { errors: [{ path: 'line 1', message: 'no data rows' }] })
  return { rows, encoding: csv.encoding() ?? 'utf-8' }
}
