// Splits decoded lines into CSV records (RFC 4180: quoted fields, doubled quotes, line breaks
// inside quotes). A fault drops its record and the rest of the line it is found on, and the next
// line is read afresh: one fault is one error on its own line, never a run of later lines
// swallowed and blamed (as a general parser's recovery does).

export type FaultKind = 'quote-in-field' | 'text-after-quote' | 'not-closed' | 'too-long'
export type Split =
  | { line: number; fields: string[] }
  | { line: number; column: number; fault: FaultKind }

const QUOTE = 34
const COMMA = 44

type Open = { line: number; column: number; fields: string[]; field: string; chars: number }

/**
 * A splitter fed one physical line at a time (without its terminator). `maxRecordChars` bounds a
 * record spread over lines by an open quote: past it the record is a fault, not a growing buffer.
 */
export function recordSplitter (maxRecordChars: number) {
  let open: Open | null = null

  function push (text: string, line: number): Split | null {
    let fields: string[]
    let field: string
    let start: number
    let inQuotes: boolean
    let fieldBegin: number
    let quoteColumn: number
    if (open !== null) {
      ({ fields, field, line: start, column: quoteColumn } = open)
      field += '\n'
      inQuotes = true
      fieldBegin = -1
    } else {
      if (text === '') return null // an empty line is no record
      if (!text.includes('"')) return { line, fields: text.split(',') }
      fields = []
      field = ''
      start = line
      inQuotes = false
      fieldBegin = 0
      quoteColumn = 0
    }
    let closed = false
    let segment = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (inQuotes) {
        if (c !== QUOTE) continue
        if (text.charCodeAt(i + 1) === QUOTE) { field += text.slice(segment, i + 1); i++; segment = i + 1; continue }
        field += text.slice(segment, i)
        inQuotes = false
        closed = true
        segment = i + 1
        continue
      }
      if (c === COMMA) {
        fields.push(field + text.slice(segment, i))
        field = ''
        closed = false
        fieldBegin = i + 1
        segment = i + 1
        continue
      }
      if (closed) return fault(start, fields.length + 1, 'text-after-quote')
      if (c === QUOTE) {
        if (i !== fieldBegin) return fault(start, fields.length + 1, 'quote-in-field')
        inQuotes = true
        quoteColumn = fields.length + 1
        segment = i + 1
      }
    }
    if (inQuotes) {
      const chars = (open?.chars ?? 0) + text.length + 1
      if (chars > maxRecordChars) return fault(start, quoteColumn, 'too-long')
      open = { line: start, column: quoteColumn, fields, field: field + text.slice(segment), chars }
      return null
    }
    open = null
    fields.push(field + text.slice(segment))
    return { line: start, fields }
  }

  function fault (line: number, column: number, kind: FaultKind): Split {
    open = null
    return { line, column, fault: kind }
  }

  return {
    push,
    /** A line that could not be decoded: a record it was part of is dropped with it. */
    drop (): void { open = null },
    /** The end of the input: a quoted field still open is a fault on the line it opened. */
    end (): Split | null {
      if (open === null) return null
      return fault(open.line, open.column, 'not-closed')
    },
  }
}
