// The webhook worker: claims due deliveries from PostgreSQL (several instances are safe), signs
// and POSTs them with undici — connect and body timeouts, no redirects, private addresses
// refused at connect time — records every attempt, and schedules the next one with backoff
// and jitter for 24 hours before giving up.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import { request, type Dispatcher } from 'undici'
import { claimDeliveries, deliveryEvents, disownDelivery, recordAttempt, type ClaimedDelivery } from '../db/webhook-deliveries.js'
import { isDatabaseUnavailable } from '../plugins/problem.js'
import type { DB } from '../db/types.js'
import { isSuccess, nextAttemptAt, shouldRetry } from '../domain/webhooks/backoff.js'
import { digestEnvelope, eventEnvelope } from '../domain/webhooks/payload.js'
import { signatureHeader } from '../domain/webhooks/signature.js'

export type WebhookWorkerOptions = {
  dispatcher: Dispatcher
  pollMs?: number
  leaseMs?: number
  batchSize?: number
  /** Per attempt: the whole exchange must end within this. */
  timeoutMs?: number
  loop?: boolean
  now?: () => Date
}

export type WebhookWorker = {
  kick: () => void
  /** Claims and sends one batch of due deliveries; answers how many were attempted. */
  runOnce: () => Promise<number>
  stop: () => Promise<void>
}

/** The body to send, its payload id, and the signature over it (both secrets during a rotation). */
export async function prepare (db: Kysely<DB>, d: ClaimedDelivery, now: Date): Promise<{ body: string; signature: string }> {
  const events = await deliveryEvents(db, d)
  const envelopes = events.map((e) => eventEnvelope({ id: e.id, type: e.type, created: new Date(e.created_at), merchantId: d.merchant_id, data: e.data }))
  const payload = d.event_id !== null ? envelopes[0] : digestEnvelope({ id: d.id, created: now, merchantId: d.merchant_id, events: envelopes })
  const body = JSON.stringify(payload)
  const rotating = d.previous_secret !== null && d.previous_secret_until !== null && new Date(d.previous_secret_until) > now
  return { body, signature: signatureHeader(rotating ? [d.secret, d.previous_secret!] : d.secret, body, now) }
}

async function send (d: ClaimedDelivery, body: string, signature: string, opts: { dispatcher: Dispatcher; timeoutMs: number }) {
  const res = await request(d.url, {
    method: 'POST',
    dispatcher: opts.dispatcher,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'shinsa-webhooks/1',
      'shinsa-signature': signature,
      'shinsa-delivery': d.id,
    },
    body,
    signal: AbortSignal.timeout(opts.timeoutMs),
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  })
  // The answer's body is not used; read a little of it so the connection can be reused.
  await res.body.dump({ limit: 16_384 })
  return res.statusCode
}

export function startWebhookWorker (db: Kysely<DB>, log: FastifyBaseLogger, opts: WebhookWorkerOptions): WebhookWorker {
  const pollMs = opts.pollMs ?? 1000
  const leaseMs = opts.leaseMs ?? 60_000
  const batchSize = opts.batchSize ?? 20
  const timeoutMs = opts.timeoutMs ?? 10_000
  const now = opts.now ?? (() => new Date())
  const worker = randomUUID()
  let running = true
  let wake: (() => void) | undefined
  let kicked = false

  async function attempt (d: ClaimedDelivery): Promise<void> {
    const startedAt = now()
    const t0 = performance.now()
    let status: number | null = null
    let error: string | null = null
    // A database error while preparing stops this round; an error on the wire is the delivery's,
    // whatever its code (ECONNREFUSED too).
    const { body, signature } = await prepare(db, d, startedAt)
    try {
      status = await send(d, body, signature, { dispatcher: opts.dispatcher, timeoutMs })
    } catch (err) {
      // What went wrong on the wire, never the payload: it carries personal data.
      error = err instanceof Error ? `${err.name}: ${(err as { code?: string }).code ?? err.message}`.slice(0, 300) : 'unknown error'
    }
    const latencyMs = Math.round(performance.now() - t0)
    const outcome = { startedAt, latencyMs, status, error }
    const retry = status !== null && isSuccess(status)
      ? undefined
      : shouldRetry({ status: status ?? undefined, error: error ?? undefined })
        ? nextAttemptAt(d.attempts + 1, d.first_attempt_at === null ? startedAt : new Date(d.first_attempt_at), startedAt)
        : null
    const next = retry === undefined
      ? { status: 'delivered' as const, nextAttemptAt: null }
      : { status: retry === null ? 'failed' as const : 'pending' as const, nextAttemptAt: retry }
    if (!await recordAttempt(db, d, worker, outcome, next)) {
      // Its lease lapsed or a redelivery cleared it while the POST was out: whoever holds it now records.
      log.warn({ deliveryId: d.id, attempt: d.attempts + 1, status }, 'webhook attempt not recorded: the delivery was leased again meanwhile')
      return
    }
    if (retry !== undefined) log.info({ deliveryId: d.id, attempt: d.attempts + 1, status, error, retryAt: retry }, retry === null ? 'webhook delivery failed' : 'webhook delivery will be retried')
  }

  /**
   * One delivery of the round. When the database is unreachable the lease stays this worker's,
   * so it takes the delivery back the moment the database answers; any other failure lets go of
   * it, and it waits out its lease like a dead worker's.
   */
  async function attemptOrLetGo (d: ClaimedDelivery): Promise<void> {
    try {
      await attempt(d)
    } catch (err) {
      if (!isDatabaseUnavailable(err)) await disownDelivery(db, d, worker).catch(() => {})
      throw err
    }
  }

  // One round at a time: a claim takes back this worker's own leases, so a second round beside
  // one in flight would send its deliveries again. A caller arriving mid-round shares that round.
  let round: Promise<number> | undefined
  const runOnce = (): Promise<number> => (round ??= runRound().finally(() => { round = undefined }))

  async function runRound (): Promise<number> {
    const claimed = await claimDeliveries(db, worker, batchSize, leaseMs)
    // Every attempt of the round ends before the next claim, even when one fails: the next claim
    // takes this worker's leases back, and must not take one still on the wire.
    const settled = await Promise.allSettled(claimed.map(attemptOrLetGo))
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    return claimed.length
  }

  async function loop (): Promise<void> {
    while (running) {
      try {
        if (await runOnce() > 0) continue
      } catch (err) {
        log.warn({ err, worker }, 'webhook worker: will try again')
      }
      if (!running) break
      if (kicked) { kicked = false; continue }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs)
        wake = () => { clearTimeout(timer); resolve() }
      })
      wake = undefined
    }
  }

  const done = opts.loop === false ? Promise.resolve() : loop()
  return {
    kick: () => { kicked = true; wake?.() },
    runOnce,
    stop: async () => { running = false; wake?.(); await done },
  }
}
