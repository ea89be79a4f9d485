// The batch worker: claims batches from PostgreSQL (several instances are safe), matches their
// rows a page at a time — each page's results and counts commit together, so a batch interrupted
// by a restart resumes at the first row without a result.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import { pollLoop } from './poll-loop.js'
import type { DB } from '../db/types.js'
import { claimBatch, finishBatch, pendingRows, releaseBatches, saveOutcomes, type RowOutcome } from '../db/address-match-batches.js'
import { findMatchCandidatesMany } from '../db/fraud-addresses.js'
import { evaluateRow } from '../domain/address-batch/evaluate-row.js'
import { matchAddress } from '../domain/address/match.js'
import { judgeBuilding } from '../domain/address/building.js'
import type { NormalizedAddress } from '../domain/address/normalize.js'
import { isDatabaseUnavailable } from '../plugins/problem.js'
import { fanout, type FanoutEndpoint } from '../domain/webhooks/fanout.js'
import { toBatch } from '../schemas/address-match-batch.js'
import type { FinishedBatch } from '../db/address-match-batches.js'

/** batch.completed carries the batch as GET /v1/address-match-batches/{id} shows it. */
const notifyCompleted = (batch: FinishedBatch, endpoints: FanoutEndpoint[]) =>
  fanout(endpoints, { type: 'batch.completed', data: toBatch(batch) })

export type BatchWorkerOptions = {
  leaseMs?: number
  pollMs?: number
  pageSize?: number
  /** false: no polling loop, work only through runOnce (tests drive workers by hand). */
  loop?: boolean
}

export type BatchWorker = {
  /** Look for work now (a batch was just queued) instead of at the next poll. */
  kick: () => void
  /** Claims and finishes one batch; false when there was none. */
  runOnce: () => Promise<boolean>
  stop: () => Promise<void>
}

async function matchPage (db: Kysely<DB>, rows: Awaited<ReturnType<typeof pendingRows>>): Promise<RowOutcome[]> {
  const evaluated = rows.map((r) => ({
    line: r.line,
    value: evaluateRow({ orderId: r.order_id, email: r.email, prefecture: r.prefecture, city: r.city, town: r.town, block: r.block, room: r.room, building: r.building }),
  }))
  const queries = evaluated.filter((e): e is { line: number; value: NormalizedAddress } => 'matchKey' in e.value)
  const candidates = await findMatchCandidatesMany(db, queries.map((q) => q.value))
  const results = new Map(queries.map((q, i) => [q.line, matchAddress(q.value, candidates[i]!)]))
  return evaluated.map((e): RowOutcome => {
    if ('reason' in e.value) return { line: e.line, errorField: e.value.field, errorReason: e.value.reason }
    const m = results.get(e.line)!
    return { line: e.line, result: m.result, count: m.count, judgments: { ...m.fields, building: judgeBuilding(e.value.building, m.matched) } }
  })
}

export function startBatchWorker (db: Kysely<DB>, log: FastifyBaseLogger, opts: BatchWorkerOptions = {}): BatchWorker {
  const owner = randomUUID()
  const leaseMs = opts.leaseMs ?? 30_000
  const pollMs = opts.pollMs ?? 1000
  const pageSize = opts.pageSize ?? 500
  let running = true

  // A batch that keeps failing for a reason other than the database (a bug, bad data the engine
  // chokes on) is marked failed after a few tries rather than claimed and retried forever.
  const failures = new Map<string, number>()
  const MAX_FAILURES = 3

  // One round at a time: a claim takes back this worker's own leases, so a second round beside
  // one in flight would take its batch and count its rows twice. A caller arriving mid-round
  // (runOnce by hand beside the loop) shares that round.
  let round: Promise<boolean> | undefined
  const runOnce = (): Promise<boolean> => (round ??= runRound().finally(() => { round = undefined }))

  async function runRound (): Promise<boolean> {
    const claimed = await claimBatch(db, owner, leaseMs)
    if (claimed === undefined) return false
    const { merchant_id: merchantId, id } = claimed
    try {
      return await processBatch(merchantId, id)
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err
      const tries = (failures.get(id) ?? 0) + 1
      failures.set(id, tries)
      log.error({ err, batchId: id, tries }, 'batch failed')
      if (tries >= MAX_FAILURES) {
        failures.delete(id)
        await finishBatch(db, merchantId, id, owner, { status: 'failed', failure: `matching failed ${tries} times; quote the batch id to support` }, notifyCompleted)
      } else {
        await releaseBatches(db, owner)
      }
      return true
    }
  }

  async function processBatch (merchantId: string, id: string): Promise<boolean> {
    const started = Date.now()
    for (;;) {
      const rows = await pendingRows(db, merchantId, id, pageSize)
      if (rows.length === 0) break
      if (!await saveOutcomes(db, merchantId, id, owner, leaseMs, await matchPage(db, rows))) {
        log.warn({ batchId: id }, 'batch lease lost to another worker')
        return true
      }
      if (!running) return true // shutting down: the lease lapses and the batch resumes elsewhere
    }
    await finishBatch(db, merchantId, id, owner, { status: 'done' }, notifyCompleted)
    log.info({ batchId: id, merchantId, ms: Date.now() - started }, 'batch done')
    return true
  }

  const poll = pollLoop(runOnce, { running: () => running, pollMs, log, failure: 'batch worker failed; retrying', enabled: opts.loop !== false })

  return {
    kick: poll.kick,
    runOnce,
    stop: async () => {
      running = false
      await poll.stop()
      await releaseBatches(db, owner).catch((err: unknown) => log.warn({ err }, 'could not release batches'))
    },
  }
}
