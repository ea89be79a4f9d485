// The import measured through the API: the generated file is written to a temp file first (so
// generating it does not share the cores with the server during the timed upload), then streamed
// to POST /v1/fraud-addresses/imports; timed from the first byte sent to the 201.
import { createWriteStream, createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { request } from 'undici'
import { tempDir } from '../../lib/database.js'
import { backendCpuBetween, backendCpuSeconds, cpuSeconds } from '../../lib/proc.js'
import type { BenchContext } from '../../lib/scenario.js'
import type { Places } from './places.js'
import { importFile, type ImportCounts } from './rows.js'

export type ImportRecord = ImportCounts & { id: string; status: string; errors: Array<{ line: number; field: string; reason: string }> }

export async function writeImportFile (places: Places, lines: number): Promise<{ path: string; bytes: number; counts: ImportCounts; seconds: number }> {
  const start = performance.now()
  const path = join(await tempDir('shinsa-bench-import-'), 'fraud-addresses.csv')
  const file = importFile(places.stored, lines)
  await pipeline(Readable.from(file.chunks), createWriteStream(path))
  return { path, bytes: (await stat(path)).size, counts: file.counts, seconds: (performance.now() - start) / 1000 }
}

export type Upload = {
  seconds: number
  record: ImportRecord
  /** CPU seconds the server process used during the upload. */
  serverCpu: number | undefined
  /** CPU seconds PostgreSQL's backends on the bench database used (undefined on PGlite). */
  databaseCpu: number | undefined
}

export async function uploadImport (ctx: BenchContext, file: { path: string }): Promise<Upload> {
  const { baseUrl, adminToken, serverPid, database } = ctx
  const dbName = database.kind === 'postgres' ? database.name : undefined
  const dbBefore = dbName === undefined ? undefined : await backendCpuSeconds(dbName)
  const cpuBefore = await cpuSeconds(serverPid)
  const start = performance.now()
  const res = await request(new URL('/v1/fraud-addresses/imports?name=bench', baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
    body: createReadStream(file.path, { highWaterMark: 256 * 1024 }),
    // The server answers once the whole file has landed: minutes, on a slow run.
    headersTimeout: 15 * 60_000,
    bodyTimeout: 15 * 60_000,
  })
  const text = await res.body.text()
  const seconds = (performance.now() - start) / 1000
  const cpuAfter = await cpuSeconds(serverPid)
  const dbAfter = dbName === undefined ? undefined : await backendCpuSeconds(dbName)
  if (res.statusCode !== 201) throw new Error(`POST /v1/fraud-addresses/imports answered ${res.statusCode}: ${text.slice(0, 500)}`)
  return {
    seconds,
    record: JSON.parse(text) as ImportRecord,
    serverCpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    databaseCpu: backendCpuBetween(dbBefore, dbAfter),
  }
}
