// Hostile input against every operation of openapi/openapi.json (issue "Hardening"): more than
// 10,000 malformed requests, generated from the document with a fixed seed, must each be answered
// by a 4xx problem document (or a 2xx where the input happened to be acceptable), never a 5xx,
// while memory stays bounded. FUZZ_SEED and FUZZ_RUNS (requests per operation) vary a run;
// FUZZ_SKIP (operationIds, comma-separated) sets operations aside while a bug in one is fixed.
import t from 'tap'
import fc from 'fast-check'
import { startBatchWorker } from '../../src/jobs/address-match-batches.js'
import { build, createKey, createMerchant, bearer, operator } from '../helper.js'
import { MB } from './hostile.js'
import { sizedCsv, sizedJson } from './bodies.js'
import { OPENAPI, PATHS, operations, type Operation } from './openapi-schema.js'
import { operationRequests, poolKey, unknownRequests, wrongMethods, type FuzzRequest } from './requests.js'
import { skeletonRequests, textProbes } from './probes.js'
import { FuzzRunner } from './runner.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20260615)
const RUNS = Number(process.env.FUZZ_RUNS ?? 275)
const SKIP = new Set((process.env.FUZZ_SKIP ?? '').split(',').filter((s) => s !== ''))
// The document does not state body limits: Fastify's (256 kB, app.ts) and the batch route's
// (SHINSA_BATCH_MAX_ROWS × 1 kB + 64 kB, create-address-match-batch.ts) are read from the app.
const BATCH_BYTES_PER_ROW = 1024
// Load shedding and the per-key rate limit would answer this flood with 503/429 before the
// input is even read: they are not what this test is about (their own tests cover them).
const ENV = {
  SHINSA_RATE_LIMIT_PER_MINUTE: '0',
  SHINSA_MAX_EVENT_LOOP_DELAY_MS: '0',
  SHINSA_MAX_DB_WAITING: '0',
  SHINSA_IMPORT_MAX_BYTES: String(2 * MB),
}

/** A stable 31-bit hash: each operation's seed does not move when another operation is added. */
const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7) >>> 1

/** The CSV header an operation's description names (`a,b,c` in backticks, or "columns (a, b, …)"). */
function csvHeader (op: Operation): string | undefined {
  const backticked = /`([^`]*,[^`]*)`/.exec(op.description)
  if (backticked !== null) return backticked[1]
  const listed = /columns \(([^)]+)\)/.exec(op.description)
  return listed?.[1]?.split(/,\s*/).join(',')
}

/** Round-robin over the operations' lists, so state (deleted webhooks, new keys) mixes across them. */
function interleave<T> (lists: T[][]): T[] {
  const out: T[] = []
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!)
  return out
}

t.test('hostile requests across every operation get 4xx problem documents, never a 5xx', async (t) => {
  const started = performance.now()
  const { app, logs, config } = await build(t, { env: ENV })
  const ops = operations().filter((o) => !SKIP.has(o.id))
  t.ok(ops.length + SKIP.size >= 30, `${ops.length} operations in the document${SKIP.size > 0 ? ` (skipped by FUZZ_SKIP: ${[...SKIP].join(', ')})` : ''}`)

  // Real resources, so that valid-ish ids reach the handlers and not only the 404 path.
  const merchant = await createMerchant(app, 'ファズ商店')
  const key = await createKey(app, merchant.id, { preset: 'full' })
  const spare = await createKey(app, merchant.id, { preset: 'shipping' })
  const m = bearer(key.key)
  const post = async (url: string, payload: unknown, headers: Record<string, string> = m) => {
    const res = await app.inject({ method: 'POST', url, headers, payload: payload as string })
    if (res.statusCode >= 300) throw new Error(`setup ${url}: ${res.statusCode} ${res.body}`)
    return res.json()
  }
  const webhook = await post('/v1/webhooks', { url: 'https://hooks.example.com/shinsa', minLevel: 'elevated', mode: 'immediate' })
  const entry = await post('/v1/blocklist', { type: 'email', value: 'fraud@example.com' })
  const csv = 'issuer,reported_on,prefecture,city,town,block,room,building\nJCB,2026-01-05,東京都,千代田区,丸の内,1-1-1,1001,\n'
  const imported = await post('/v1/fraud-addresses/imports', csv, { ...operator, 'content-type': 'text/csv' })
  const stored = (await app.inject({ method: 'GET', url: '/v1/fraud-addresses?limit=1', headers: operator })).json()
  const scored = await post('/v1/orders/score', {
    orderId: 'FUZZ-1', amount: 5800, paymentMethod: 'card', card: { bin: '401234', last4: '4242' },
    buyer: { name: '山田 太郎', email: 'taro@example.co.jp', address: { prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1' } },
  })
  const batch = await post('/v1/address-match-batches', { rows: [{ orderId: "' OR 1=1 --", prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1' }, { email: 'a\u202E@example.jp' }] })
  const delivery = await post(`/v1/webhooks/${webhook.id}/test`, undefined)

  // A second merchant tries the text probes' skeletons, so that an accepted one (an order now
  // scored, an entry now listed) does not make the probes replays or duplicates.
  const other = await createKey(app, (await createMerchant(app, '照合用商店')).id, { preset: 'full' })
  const runner = new FuzzRunner(app, { operatorToken: operator.authorization, merchantToken: m.authorization, otherMerchantToken: bearer(other.key).authorization, ops })
  runner.seed({
    [poolKey('/v1/merchants/{id}', 'id')]: [merchant.id],
    [poolKey('/v1/merchants/{id}/api-keys/{keyId}', 'keyId')]: [spare.id],
    [poolKey('/v1/fraud-addresses/imports/{id}', 'id')]: [imported.id],
    [poolKey('/v1/fraud-addresses/{id}', 'id')]: [stored.items[0].id],
    [poolKey('/v1/address-match-batches/{id}', 'id')]: [batch.id],
    [poolKey('/v1/orders/{orderId}', 'orderId')]: [scored.orderId],
    [poolKey('/v1/blocklist/{id}', 'id')]: [entry.id],
    [poolKey('/v1/webhooks/{id}', 'id')]: [webhook.id],
    [poolKey('/v1/webhooks/{id}/deliveries/{deliveryId}', 'deliveryId')]: [delivery.deliveryId],
  })
  const setupMs = performance.now() - started

  // Generation: one seeded sample per operation, then the fixed cases against the limits.
  const generated = performance.now()
  const batchLimit = config.batchMaxRows * BATCH_BYTES_PER_ROW + 64 * 1024
  const jsonLimit = app.initialConfig.bodyLimit ?? 1024 * 1024
  const lists: FuzzRequest[][] = ops.map((op) => fc.sample(operationRequests(op, csvHeader(op)), { seed: SEED ^ hash(op.id), numRuns: RUNS }))
  const sized: FuzzRequest[] = []
  for (const op of ops.filter((o) => o.bodies.length > 0)) {
    const base = { op: op.id, method: op.method, path: op.path, query: '', credential: 'valid' as const, pathValues: Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, { pool: poolKey(op.path, p.name) }])) }
    const isBatch = op.path === '/v1/address-match-batches'
    if (op.bodies.some((b) => b.type === 'application/json')) {
      for (const body of sizedJson(isBatch ? batchLimit : jsonLimit)) sized.push({ ...base, focus: 'limits-json', headers: { 'content-type': 'application/json' }, body })
    }
    const header = csvHeader(op)
    if (op.bodies.some((b) => b.type === 'text/csv') && header !== undefined) {
      const bodies = isBatch ? sizedCsv(header, batchLimit, config.batchMaxRows) : sizedCsv(header, config.importMaxBytes, undefined)
      for (const body of bodies) sized.push({ ...base, focus: 'limits-csv', headers: { 'content-type': 'text/csv' }, body })
    }
  }
  const requests = interleave([...lists, wrongMethods(ops), fc.sample(unknownRequests, { seed: SEED, numRuns: 600 }), sized])
  const generationMs = performance.now() - generated

  runner.stats.baseline()
  const fuzzed = performance.now()
  await runner.runAll(requests)

  // Each text field in turn holding NUL, a lone surrogate or an SQL quote, in bodies the service
  // accepts as they are (the other merchant tries them first).
  for (const op of ops) {
    if (runner.stalled !== undefined) break
    const accepted = await runner.accepted(skeletonRequests(op, SEED ^ hash(op.id), bearer(other.key).authorization))
    await runner.runAll(textProbes(op, csvHeader(op), SEED ^ hash(op.id), accepted))
  }

  // The batches the fuzz stored (hostile cells and all) are matched, then their results read
  // back as JSON and as CSV in both encodings: the output side of the same hostile input.
  let processed = 0
  if (runner.stalled === undefined) {
    const worker = startBatchWorker(app.db, app.log, { loop: false, pageSize: 200 })
    const deadline = performance.now() + 10_000
    while (performance.now() < deadline && await worker.runOnce()) processed++
    await worker.stop()
  }
  const downloads: FuzzRequest[] = runner.pool(poolKey('/v1/address-match-batches/{id}', 'id')).flatMap((id) => [
    { accept: 'application/json', query: 'limit=1000' }, { accept: 'text/csv', query: 'encoding=utf-8' }, { accept: 'text/csv', query: 'encoding=shift_jis' },
  ].map(({ accept, query }) => ({
    focus: 'results-download', op: 'getAddressMatchBatchResults', method: 'GET', path: '/v1/address-match-batches/{id}/results',
    pathValues: { id: { literal: id } }, query, credential: 'valid' as const, headers: { accept },
  })))
  await runner.runAll(downloads)
  runner.stats.sampleMemory()
  const fuzzMs = performance.now() - fuzzed

  // The figures, for the record. A 5xx is logged with its cause: the error's code (a SQLSTATE, say) names the bug class.
  const causes = new Map(logs().filter((l) => Number(l.level) >= 50).map((l) => {
    const err = (l.err ?? {}) as { code?: string; type?: string; message?: string }
    return [String(l.requestId), `${err.type ?? 'Error'} ${err.code ?? ''} ${String(err.message ?? '').slice(0, 120)}`.trim()]
  }))
  const report = runner.stats.report((requestId) => causes.get(requestId))
  t.comment(`seed ${SEED}, ${RUNS} generated requests per operation, ${ops.length} operations, ${PATHS.length} paths (${OPENAPI.info.title} ${OPENAPI.info.version})`)
  t.comment(`requests sent: ${report.sent}; batches matched afterwards: ${processed}`)
  t.comment(`status codes: ${report.statuses}`)
  t.comment(`problem codes: ${report.codes}`)
  t.comment(`2xx by operation (inputs that happened to be acceptable): ${report.successes}`)
  t.comment(`by focus: ${report.focuses}`)
  t.comment(`time: setup ${Math.round(setupMs)} ms, generation ${Math.round(generationMs)} ms, requests ${Math.round(fuzzMs)} ms; latency p50 ${report.p50} ms, p99 ${report.p99} ms`)
  t.comment(`time by focus: ${report.timeByFocus}; by operation: ${report.timeByOp}`)
  t.comment(`slowest: ${report.slowest}`)
  t.comment(`largest problem documents: ${report.largest}`)
  t.comment(`memory (MB, every 1,000 requests) rss: ${report.rss}`)
  t.comment(`memory (MB, every 1,000 requests) heapUsed: ${report.heap}`)

  t.equal(runner.stalled, undefined, 'the service kept answering')
  if (process.env.FUZZ_RUNS === undefined && SKIP.size === 0) t.ok(report.sent >= 10_000, `at least 10,000 requests (${report.sent})`)
  for (const failure of report.failures) t.fail(failure.message, { diagnostic: true, examples: failure.examples })
  t.ok(report.failureCount === 0, `every answer a 2xx or a 4xx problem document (${report.failureCount} did not)`)
  // An answer is bounded whatever the request: a problem listing every fault of a large body is
  // an amplifier (and holds the loop while it is built).
  t.ok(report.largestBytes <= MB, `no problem document over 1 MB (largest: ${report.largest})`)
  t.ok(report.rssGrowthMb < 300, `rss grew ${report.rssGrowthMb} MB (< 300)`)
  t.ok(report.heapGrowthMb < 300, `heapUsed grew ${report.heapGrowthMb} MB (< 300)`)
  // Errors of the 5xx answers above are expected in the log; any other (the batch worker's, say) is a finding.
  const errors = logs().filter((l) => Number(l.level) >= 50 && !report.failedRequestIds.has(String(l.requestId)))
  t.same(errors.map((l) => `${String(l.msg)}: ${String((l.err as { message?: string } | undefined)?.message ?? '').slice(0, 200)}`), [], 'nothing else logged at error level')
})
