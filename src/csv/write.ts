// Every CSV the service writes for people (results meant for Excel) goes through here: RFC 4180
// quoting by csv-stringify, and cells a spreadsheet would run as a formula neutralised (OWASP).
import { stringify } from 'csv-stringify/sync'

export type CsvCell = string | number | null | undefined

// Excel, LibreOffice and Google Sheets evaluate a cell starting with one of these (a tab or CR
// too: some strip it and evaluate what follows).
const FORMULA_START = /^[=+\-@\t\r]/
// A plain number (-5, -12.5, 3.0) is shown as the number it is: only a leading minus can make it
// look like a formula, and a spreadsheet evaluates it to itself. A leading + is not kept as one:
// +81-90-1234-5678 is an expression to Excel.
const PLAIN_NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/

/** The text a cell is written as: a leading `'` when a spreadsheet would evaluate it (OWASP CSV injection). */
export function safeCell (value: CsvCell): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text
}

/** Rows as CSV lines, each ended by CRLF (what Excel writes and reads), every cell made safe. */
export function csvLines (rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return stringify(rows.map((row) => row.map(safeCell)), { record_delimiter: '\r\n' })
}
