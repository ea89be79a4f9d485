// Streams a CSV upload as records with their line numbers: the encoding (UTF-8, or Shift_JIS as
// Japanese spreadsheets save it) is detected from the first bytes; a line that does not decode,
// breaks CSV quoting or holds a full card number is reported and skipped rather than failing the
// file; never holds the whole upload, nor an unbounded list of its faults, in memory.
import iconv from 'iconv-lite'
import { AppError } from '../errors.js'
import { findCardNumber } from '../domain/scoring/pan.js'
import { recordSplitter, type FaultKind } from './records.js'

export type CsvEncoding = 'utf-8' | 'shift_jis'
export type CsvRecord = { line: number; fields: string[] }
/** A refused line; `column` (from 1) when the fault lies in one field. The reason never quotes the line. */
export type CsvLineError = { line: number; column?: number; reason: string }

/** Line errors kept until drained; past this they are only counted (a 1 GiB file of garbage is 10⁷ of them). */
export const MAX_KEPT_ERRORS = 1000

const SAMPLE_BYTES = 64 * 1024
// No address line comes near this; a file without line breaks must not grow one buffer forever.
const MAX_LINE_BYTES = 64 * 1024
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * The encoding under which fewer of the sample's lines fail to decode (UTF-8 on a tie): Shift_JIS
 * read as UTF-8 breaks on nearly every Japanese line, a UTF-8 file with one bad line does not.
 */
export function detectEncoding (sample: Buffer): CsvEncoding {
  if (sample.subarray(0, 3).equals(UTF8_BOM)) return 'utf-8'
  const utf8 = decoder('utf-8')
  const sjis = decoder('shift_jis')
  let utf8Failures = 0
  let sjisFailures = 0
  let start = 0
  while (start < sample.length) {
    let end = sample.indexOf(0x0a, start)
    // The last line of a sample may be cut inside a character: judge whole lines only, if any.
    if (end === -1) { if (start > 0) break; end = sample.length }
    const line = sample.subarray(start, end)
    if (utf8(line) === null) utf8Failures++
    if (sjis(line) === null) sjisFailures++
    start = end + 1
  }
  return utf8Failures <= sjisFailures ? 'utf-8' : 'shift_jis'
}

function decoder (encoding: CsvEncoding): (bytes: Buffer) => string | null {
  if (encoding === 'utf-8') {
    const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
    // A NUL byte is valid UTF-8 but not storable text (PostgreSQL refuses it): the line is refused too.
    return (bytes) => { try { const text = utf8.decode(bytes); return text.includes('\u0000') ? null : text } catch { return null } }
  }
  // cp932 (Windows-31J) is the Shift_JIS Excel writes; an undecodable byte comes back as U+FFFD.
  return (bytes) => { const text = iconv.decode(bytes, 'cp932'); return text.includes('\uFFFD') || text.includes('\u0000') ? null : text }
}

export type CsvStream = {
  encoding: () => CsvEncoding | undefined
  /**
   * Lines skipped so far (undecodable bytes, broken quoting, a card number), one error a line, in
   * the order found; at most MAX_KEPT_ERRORS of them until drained.
   */
  errors: CsvLineError[]
  /** Lines skipped but not kept in `errors` (past the cap) since the last drain. */
  unlisted: () => number
  /** Takes the kept errors and the count of the others, leaving room for more. */
  drain: () => { errors: CsvLineError[]; unlisted: number }
  records: AsyncIterable<CsvRecord>
}

// Fixed reasons: a parser's own messages quote the field they stopped in (a card number, an address).
const FAULT_REASONS: Record<FaultKind, string> = {
  'quote-in-field': 'holds a quote (") inside an unquoted field: quote the whole field and double the quote ("")',
  'text-after-quote': 'has text after a closing quote: quote the whole field and double any quote inside it ("")',
  'not-closed': 'opens a quoted field that is never closed',
  'too-long': `opens a quoted field that runs on past ${MAX_LINE_BYTES} characters`,
}

/**
 * Reads `input` (bytes) as CSV. 0x0A never occurs inside a UTF-8 or Shift_JIS character, so lines
 * are split on bytes and decoded one by one, then split into records (records.ts); a line that
 * does not decode, a record that breaks quoting or holds a card number is an entry in `errors`.
 */
export function readCsv (input: AsyncIterable<Buffer | string>, opts: { maxBytes: number }): CsvStream {
  let encoding: CsvEncoding | undefined
  const errors: CsvLineError[] = []
  let unlisted = 0
  const refuse = (error: CsvLineError) => {
    if (errors.length < MAX_KEPT_ERRORS) errors.push(error)
    else unlisted++
  }

  // A chunk's lines come as one array: one async step per line would cost more than the split.
  const joined = (lines: Iterable<string | null>): Array<string | null> => Array.from(lines)

  /** Each line's text, or null where it does not decode. */
  async function * decodedLines (): AsyncGenerator<Array<string | null>> {
    let pending: Buffer[] = []
    let pendingBytes = 0
    let total = 0
    let decode: ((b: Buffer) => string | null) | undefined
    let line = 0
    let rest = Buffer.alloc(0)
    // Lines end in LF, CRLF or a lone CR (old Mac spreadsheets). Each terminator's next position
    // is searched once, not once per line, so a file without CRs is not rescanned line after line.
    const emit = function * (chunk: Buffer, final: boolean): Generator<string | null> {
      const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk
      let start = 0
      let nl = data.indexOf(0x0a)
      let cr = data.indexOf(0x0d)
      for (;;) {
        if (nl !== -1 && nl < start) nl = data.indexOf(0x0a, start)
        if (cr !== -1 && cr < start) cr = data.indexOf(0x0d, start)
        let end: number
        let next: number
        if (cr !== -1 && (nl === -1 || cr < nl)) {
          if (cr === data.length - 1 && !final) break // its LF may come in the next chunk
          end = cr
          next = data[cr + 1] === 0x0a ? cr + 2 : cr + 1
        } else if (nl !== -1) {
          end = nl
          next = nl + 1
        } else {
          break
        }
        yield lineText(data.subarray(start, end))
        start = next
      }
      rest = Buffer.from(data.subarray(start))
      if (rest.length > MAX_LINE_BYTES) {
        throw new AppError('CSV_INVALID', `line ${line + 1} is longer than ${MAX_LINE_BYTES} bytes`, {
          errors: [{ path: `line ${line + 1}`, message: `is longer than ${MAX_LINE_BYTES} bytes` }],
        })
      }
      if (final && rest.length > 0) yield lineText(rest)
    }
    const lineText = (raw: Buffer): string | null => {
      line++
      return decode!(raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw)
    }
    for await (const piece of input) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
      total += chunk.length
      if (total > opts.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The upload is larger than ${opts.maxBytes} bytes`)
      if (decode === undefined) {
        pending.push(chunk)
        pendingBytes += chunk.length
        if (pendingBytes < SAMPLE_BYTES) continue
        const sample = Buffer.concat(pending)
        encoding = detectEncoding(sample)
        decode = decoder(encoding)
        pending = []
        yield joined(emit(sample, false))
        continue
      }
      yield joined(emit(chunk, false))
    }
    if (decode === undefined) {
      const sample = Buffer.concat(pending)
      encoding = detectEncoding(sample)
      decode = decoder(encoding)
      yield joined(emit(sample, true))
    } else {
      yield joined(emit(Buffer.alloc(0), true))
    }
  }

  async function * records (): AsyncGenerator<CsvRecord> {
    const splitter = recordSplitter(MAX_LINE_BYTES)
    let line = 0
    const accept = (split: ReturnType<typeof splitter.push>): CsvRecord | null => {
      if (split === null) return null
      if ('fault' in split) {
        refuse({ line: split.line, column: split.column, reason: `line ${split.line} column ${split.column} ${FAULT_REASONS[split.fault]}` })
        return null
      }
      // PCI DSS, as for JSON bodies (card-number-guard.ts): a field holding a full card number
      // refuses its line, in every column; nothing of the line is read further, the number never
      // quoted. The first such column is named.
      const hit = split.fields.findIndex(findCardNumber)
      if (hit === -1) return split
      refuse({ line: split.line, column: hit + 1, reason: `line ${split.line} column ${hit + 1} holds a full card number (PAN): shinsa never stores one, the line is refused` })
      return null
    }
    for await (const lines of decodedLines()) {
      for (let text of lines) {
        line++
        if (text === null) {
          splitter.drop()
          refuse({ line, reason: `line ${line} is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS'} text` })
          continue
        }
        if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
        const record = accept(splitter.push(text, line))
        if (record !== null) yield record
      }
    }
    const last = accept(splitter.end())
    if (last !== null) yield last
  }
  const drain = () => {
    const taken = { errors: errors.splice(0), unlisted }
    unlisted = 0
    return taken
  }
  return { encoding: () => encoding, errors, unlisted: () => unlisted, drain, records: records() }
}
