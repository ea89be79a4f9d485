// CSV garbage: a fraud-address import of lines that decode as nothing (0xFF bytes), streamed to
// the server over HTTP — a small file first, then BENCH_GARBAGE_BYTES (1 GiB) in the same run —
// sampling the server's RSS every 100 ms. Prints each upload's peak RSS, the ratio of the large
// one's to the small one's, its throughput and what the import record counted. The reader keeps
// at most MAX_KEPT_ERRORS line errors, so the peak must not grow with the file.
import { Readable } from 'node:stream'
import { request } from 'undici'
import { MAX_KEPT_ERRORS } from '../../src/csv/read.js'
import { rssMb } from '../lib/proc.js'
import type { BenchContext, Scenario } from '../lib/scenario.js'

const MiB = 1024 ** 2
const LARGE = Number(process.env.BENCH_GARBAGE_BYTES ?? 1024 * MiB)
const SMALL = 4 * MiB
const HEADER = Buffer.from('issuer,reported_on,prefecture,city,town,block,room,building\n')
// 255 bytes of 0xFF and a line break: no UTF-8 or Shift_JIS text, 4,194,304 lines a GiB.
const LINE = Buffer.concat([Buffer.alloc(255, 0xff), Buffer.from('\n')])
const CHUNK = Buffer.concat(Array.from({ length: 256 }, () => LINE)) // 64 KiB

/** The header, then garbage lines up to `bytes` in all, made as they are sent (nothing on disk). */
function * garbage (bytes: number): Generator<Buffer> {
  yield HEADER
  let left = bytes - HEADER.length
  while (left > 0) {
    const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left - (left % LINE.length))
    if (piece.length === 0) return
    left -= piece.length
    yield piece
  }
}

type Upload = { bytes: number; seconds: number; peakMb: number; status: number; record: { lines?: number; rejected?: number; errors?: unknown[]; status?: string } }

async function upload (ctx: BenchContext, bytes: number): Promise<Upload> {
  let peak = (await rssMb(ctx.serverPid)) ?? 0
  const sampler = setInterval(() => { void rssMb(ctx.serverPid).then((mb) => { if (mb !== undefined && mb > peak) peak = mb }) }, 100)
  const t0 = performance.now()
  try {
    const res = await request(new URL(`/v1/fraud-addresses/imports?name=garbage-${bytes}`, ctx.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.adminToken}`, 'content-type': 'text/csv' },
      body: Readable.from(garbage(bytes)),
      headersTimeout: 0,
      bodyTimeout: 0,
    })
    const record = await res.body.json() as Upload['record']
    return { bytes, seconds: (performance.now() - t0) / 1000, peakMb: peak, status: res.statusCode, record }
  } finally {
    clearInterval(sampler)
    const last = await rssMb(ctx.serverPid)
    if (last !== undefined && last > peak) peak = last
  }
}

function report (label: string, u: Upload): void {
  const mb = u.bytes / MiB
  console.log(`   ${label.padEnd(6)} ${mb.toFixed(0).padStart(5)} MiB in ${u.seconds.toFixed(1)} s (${(mb / u.seconds).toFixed(1)} MiB/s): ` +
    `HTTP ${u.status}, import ${u.record.status ?? '?'}, lines ${u.record.lines ?? '?'}, rejected ${u.record.rejected ?? '?'}, ` +
    `errors listed ${u.record.errors?.length ?? '?'}; peak server RSS ${u.peakMb.toFixed(0)} MB`)
}

async function finish (ctx: BenchContext): Promise<void> {
  console.log(`\ncsv-garbage: fraud-address imports of undecodable lines (${LINE.length} bytes each), streamed; ` +
    `the reader keeps ${MAX_KEPT_ERRORS} line errors and counts the rest`)
  const before = await rssMb(ctx.serverPid)
  console.log(`   server RSS before: ${before?.toFixed(0) ?? '?'} MB`)
  const small = await upload(ctx, SMALL)
  report('small', small)
  const large = await upload(ctx, LARGE)
  report('large', large)
  console.log(`   peak RSS large / small: ×${(large.peakMb / small.peakMb).toFixed(2)} for ×${(LARGE / SMALL).toFixed(0)} the bytes`)
}

const scenario: Scenario = {
  name: 'csv-garbage',
  description: `a ${(LARGE / MiB).toFixed(0)} MiB CSV of undecodable lines streamed to the fraud-address import, peak RSS against a ${SMALL / MiB} MiB one`,
  // The upload takes minutes: the request timeout and the size limit must not end it.
  serverEnv: { SHINSA_REQUEST_TIMEOUT_MS: '3600000', SHINSA_IMPORT_MAX_BYTES: String(Math.max(LARGE, SMALL) + MiB) },
  // No route to load: the figures are the uploads' (the ceiling is still measured, as every run does).
  setup: async () => [],
  finish,
}

export default scenario
