// Streams a CSV upload as records with their line numbers: the encoding (UTF-8, or Shift_JIS as
// Japanese spreadsheets save it) is detected from the first bytes; a line that does not decode
// is reported and skipped rather than failing the file; never holds the whole upload in memory.
import { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import iconv from 'iconv-lite'
import { AppError } from '../errors.js'

export type CsvEncoding = 'utf-8' | 'shift_jis'
export type CsvRecord = { line: number; fields: string[] }
export type CsvLineError = { line: number; reason: string }

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
  /** Lines skipped so far (undecodable bytes, broken quoting); drain it as records are read. */
  errors: CsvLineError[]
  records: AsyncIterable<CsvRecord>
}

/**
 * Reads `input` (bytes) as CSV. 0x0A never occurs inside a UTF-8 or Shift_JIS character, so lines
 * are split on bytes and decoded one by one; a line that does not decode becomes an empty line
 * for the parser (keeping line numbers) and an entry in `errors`.
 */
export function readCsv (input: AsyncIterable<Buffer | string>, opts: { maxBytes: number }): CsvStream {
  let encoding: CsvEncoding | undefined
  const errors: CsvLineError[] = []

  // A chunk's lines go to the parser as one string: one stream item per line costs more than the parse.
  const joined = (lines: Iterable<string>): string => Array.from(lines).join('')

  async function * decodedLines (): AsyncGenerator<string> {
    let pending: Buffer[] = []
    let pendingBytes = 0
    let total = 0
    let decode: ((b: Buffer) => string | null) | undefined
    let line = 0
    let rest = Buffer.alloc(0)
    // Lines end in LF, CRLF or a lone CR (old Mac spreadsheets). Each terminator's next position
    // is searched once, not once per line, so a file without CRs is not rescanned line after line.
    const emit = function * (chunk: Buffer, final: boolean): Generator<string> {
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
    const lineText = (raw: Buffer): string => {
      line++
      const bytes = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw
      const text = decode!(bytes)
      if (text === null) {
        errors.push({ line, reason: `line ${line} is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS'} text` })
        return '\n'
      }
      return text + '\n'
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

  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
  })
  parser.on('skip', (err: { lines?: number; message: string }) => {
    errors.push({ line: err.lines ?? 0, reason: `line ${err.lines ?? '?'} is not valid CSV: ${err.message}` })
  })
  const source = Readable.from(decodedLines())
  source.on('error', (err) => parser.destroy(err))
  source.pipe(parser)

  async function * records (): AsyncGenerator<CsvRecord> {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: info.lines, fields: record }
    }
  }
  return { encoding: () => encoding, errors, records: records() }
}
