// The retention purge: deletes each merchant's personal data older than its retentionDays, a
// bounded batch per short transaction, yielding between batches so scoring never waits on it.
// Logs counts only.
import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { DB } from '../db/types.js'
import { merchantRetentions, purgeBatch, PURGED, type PurgedTable } from '../db/retention.js'
import { deleteExpiredKeys } from '../db/idempotency.js'
import { isDatabaseUnavailable } from '../plugins/problem.js'

// A batch's rows go before the batch itself (the batch is deleted once empty).
const TABLES: PurgedTable[] = [...(Object.keys(PURGED) as (keyof typeof PURGED)[]), 'address_match_batch_rows', 'address_match_batches']

export type PurgeCounts = Partial<Record<PurgedTable | 'idempotency_keys', number>>

export type PurgeOptions = {
  /** Rows a statement deletes at most. */
  batchSize?: number
  intervalMs?: number
  /** false: no loop, work only through runOnce (tests). */
  loop?: boolean
  now?: () => Date
}

export type PurgeWorker = {
  /** One full pass over every merchant; null when another instance holds the purge. */
  runOnce: () => Promise<PurgeCounts | null>
  stop: () => Promise<void>
}

const DAY_MS = 86_400_000
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve))

export function startRetentionPurge (db: Kysely<DB>, log: FastifyBaseLogger, opts: PurgeOptions = {}): PurgeWorker {
  const batchSize = opts.batchSize ?? 1000
  const intervalMs = opts.intervalMs ?? 3_600_000
  const now = opts.now ?? (() => new Date())
  let running = true
  let timer: NodeJS.Timeout | undefined
  let round: Promise<PurgeCounts | null> | undefined

  async function pass (): Promise<PurgeCounts | null> {
    const counts: PurgeCounts = {}
    let after: string | undefined
    for (;;) {
      const merchants = await merchantRetentions(db, after, 100)
      for (const m of merchants) {
        const cutoff = new Date(now().getTime() - m.retention_days * DAY_MS)
        for (const table of TABLES) {
          for (;;) {
            if (!running) return counts
            const n = await purgeBatch(db, table, m.id, cutoff, batchSize)
            if (n === null) return null
            if (n > 0) counts[table] = (counts[table] ?? 0) + n
            await yieldToRequests()
            if (n < batchSize) break
          }
        }
      }
      if (merchants.length < 100) break
      after = merchants.at(-1)!.id
    }
    // Idempotency-Key answers expire after a day whatever a merchant's retention.
    for (;;) {
      if (!running) return counts
      const n = await deleteExpiredKeys(db, now(), batchSize)
      if (n > 0) counts.idempotency_keys = (counts.idempotency_keys ?? 0) + n
      await yieldToRequests()
      if (n < batchSize) return counts
    }
  }

  const runOnce = (): Promise<PurgeCounts | null> => (round ??= pass().then((counts) => {
    if (counts === null) log.info('retention purge skipped: another instance is purging')
    else log.info({ deleted: counts }, 'retention purge done')
    return counts
  }).finally(() => { round = undefined }))

  // The first pass a minute after start, not an hour: instances restarted more often than hourly
  // must still purge.
  const schedule = (delay = intervalMs) => {
    if (!running || opts.loop === false) return
    timer = setTimeout(() => {
      runOnce().catch((err) => {
        if (isDatabaseUnavailable(err)) log.warn('retention purge: database unavailable, retrying at the next round')
        else log.error({ err }, 'retention purge failed')
      }).finally(() => schedule())
    }, delay)
    timer.unref()
  }
  schedule(Math.min(60_000, intervalMs))

  return {
    runOnce,
    async stop () {
      running = false
      if (timer !== undefined) clearTimeout(timer)
      await round?.catch(() => {})
    },
  }
}
