// `npm run import -- FILE`: loads an issuer fraud-address CSV into the configured database through
// the same streamed import as POST /v1/fraud-addresses/imports, with progress and a summary.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { ConfigError, loadConfig } from '../config.js'
import { connect } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'
import type { ImportRow } from '../db/fraud-addresses.js'
import { AppError } from '../errors.js'
import { importFraudAddresses } from '../imports/fraud-address-import.js'

const USAGE = `Usage: npm run import -- FILE [--name NAME] [--chunk-size N]

Loads an issuer fraud-address CSV (header issuer,reported_on,prefecture,city,town,block,room,building;
UTF-8 or Shift_JIS) into the database the service uses: DATABASE_URL, or the embedded database in
SHINSA_DATA_DIR (default ./data). Bad lines are listed and skipped; rows already stored count as duplicates.

  --name NAME       name of the import record (default: the file's base name)
  --chunk-size N    lines per transaction (default 5000)
  -h, --help        this text

The embedded database can be opened by one process only: stop the server that uses the same
SHINSA_DATA_DIR first, or import over HTTP (POST /v1/fraud-addresses/imports) instead.
Migrates the database first unless SHINSA_MIGRATE_ON_START=false.`

const SHOWN_REJECTED = 20
const LINES_PER_REPORT = 100_000
// Below this a file loads in a blink: a bar would only flash.
const BAR_MIN_BYTES = 1024 ** 2

/** A refusal the user can act on: printed as one line, no stack. */
class UsageError extends Error {}

type Args = { file: string; name: string; chunkSize: number | undefined }

function parse (argv: string[]): Args | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, 'chunk-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    })
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`)
  }
  const { values, positionals } = parsed
  if (values.help === true) return 'help'
  if (positionals.length !== 1) throw new UsageError('Give exactly one CSV file to import (see --help)')
  const file = positionals[0]!
  let chunkSize: number | undefined
  if (values['chunk-size'] !== undefined) {
    chunkSize = Number(values['chunk-size'])
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 100_000) {
      throw new UsageError(`--chunk-size must be an integer from 1 to 100000 (got "${values['chunk-size']}")`)
    }
  }
  const name = values.name ?? basename(file)
  if (name.length < 1 || name.length > 200) throw new UsageError('--name must be 1 to 200 characters')
  return { file, name, chunkSize }
}

async function fileSize (file: string): Promise<number> {
  try {
    const s = await stat(file)
    if (!s.isFile()) throw new UsageError(`${file} is not a file`)
    return s.size
  } catch (err) {
    if (err instanceof UsageError) throw err
    const code = (err as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(err)})`)
  }
}

const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1)

/**
 * Progress on stderr: a bar by bytes read when stderr is a terminal and the file is big; otherwise
 * (logs, CI) a plain line every LINES_PER_REPORT lines, since a redrawn bar is noise in a file.
 */
function progress (size: number) {
  let bytes = 0
  let lines = 0
  const bar = process.stderr.isTTY === true && size >= BAR_MIN_BYTES
    ? new cliProgress.SingleBar({
      stream: process.stderr,
      format: 'importing {bar} {percentage}% | {read} of {size} MB | {lines} lines',
      hideCursor: true,
    }, cliProgress.Presets.shades_classic)
    : undefined
  bar?.start(size, 0, { read: mb(0), size: mb(size), lines: 0 })
  return {
    bytes: (n: number) => {
      bytes += n
      bar?.update(bytes, { read: mb(bytes), lines })
    },
    lines: (total: number) => {
      if (bar === undefined && Math.floor(total / LINES_PER_REPORT) > Math.floor(lines / LINES_PER_REPORT)) {
        console.error(`read ${total} lines (${mb(bytes)} of ${mb(size)} MB)`)
      }
      lines = total
      bar?.update(bytes, { read: mb(bytes), lines })
    },
    stop: () => bar?.stop(),
  }
}

/** The file's chunks as they are read, counted on the way through. */
async function * counted (stream: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    onBytes(chunk.length)
    yield chunk
  }
}

function summary (record: ImportRow): string {
  const out = [
    `import ${record.id} ${record.status}: ${record.name}${record.encoding !== null ? ` (${record.encoding})` : ''}`,
    `  lines       ${record.lines}`,
    `  inserted    ${record.inserted}`,
    `  duplicates  ${record.duplicates}`,
    `  rejected    ${record.rejected}`,
  ]
  if (record.rejected > 0) {
    // Lines the CSV reader skipped are listed after their chunk's: show them in file order.
    const shown = [...record.errors].sort((a, b) => a.line - b.line).slice(0, SHOWN_REJECTED)
    out.push(`rejected lines${record.rejected > shown.length ? ` (first ${shown.length} of ${record.rejected})` : ''}:`)
    for (const e of shown) out.push(`  line ${e.line}  ${e.field}: ${e.reason}`)
  }
  return out.join('\n')
}

async function main (argv: string[]): Promise<void> {
  const args = parse(argv)
  if (args === 'help') {
    console.log(USAGE)
    return
  }
  const config = loadConfig()
  const size = await fileSize(args.file)
  // The import enforces the limit too, but only after reading that far: refuse before connecting.
  if (size > config.importMaxBytes) {
    throw new UsageError(`${args.file} is ${size} bytes, more than SHINSA_IMPORT_MAX_BYTES (${config.importMaxBytes})`)
  }
  const database = await connect(config)
  try {
    if (config.migrateOnStart) await migrateToLatest(database.db)
    const bar = progress(size)
    let record: ImportRow
    try {
      record = await importFraudAddresses(database, counted(createReadStream(args.file), bar.bytes), {
        name: args.name,
        maxBytes: config.importMaxBytes,
        chunkSize: args.chunkSize,
        onProgress: bar.lines,
      })
    } finally {
      bar.stop()
    }
    console.log(summary(record))
  } finally {
    await database.close()
  }
}

/** An error and its causes on one line (ECONNREFUSED, a migration's SQL error …). */
function describe (err: unknown): string {
  const parts: string[] = []
  for (let e = err as { message?: unknown; code?: unknown; cause?: unknown } | undefined; e != null && parts.length < 4; e = e.cause as typeof e) {
    parts.push(`${String(e.message ?? e)}${typeof e.code === 'string' ? ` [${e.code}]` : ''}`)
  }
  return parts.join(': ')
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError) {
    console.error(err.message)
  } else if (err instanceof AppError) {
    // A refused file: the reason, then where in the file.
    console.error(`import failed: ${err.message}`)
    for (const e of err.errors ?? []) console.error(`  ${e.path}: ${e.message}`)
  } else {
    console.error(`import failed: ${describe(err)}`)
  }
  process.exitCode = 1
})
