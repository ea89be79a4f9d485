// The webhook worker: claims due deliveries from PostgreSQL (several instances are safe), signs
// and POSTs them with undici — connect and body timeouts, no redirects, private addresses
// refused at connect time — records every attempt, and schedules the next one with backoff
// and jitter for 24 hours before giving up.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import { request, type Dispatcher } from 'undici'
import { claimDeliveries, deliveryEvents, disownDelivery, recordAttempts, type ClaimedDelivery, type RecordedAttempt } from '../db/webhook-deliveries.js'
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

  /** Prepares and sends one delivery; answers the attempt to record. */
  async function attempt (d: ClaimedDelivery): Promise<RecordedAttempt> {
    const startedAt = now()
    const t0 = performance.now()
    let status: number | null = null
    let error: string | null = null
    // A database error while preparing stops this delivery; an error on the wire is the
    // delivery's, whatever its code (ECONNREFUSED too).
    const { body, signature } = await prepare(db, d, startedAt)
    try {
      status = await send(d, body, signature, { dispatcher: opts.dispatcher, timeoutMs })
    } catch (err) {
      // What went wrong on the wire, never the payload: it carries personal data.
      // Cut by code point: half a surrogate pair is not valid JSON text for the record's jsonb.
      error = err instanceof Error ? [...`${err.name}: ${(err as { code?: string }).code ?? err.message}`].slice(0, 300).join('') : 'unknown error'
    }
    const outcome = { startedAt, latencyMs: Math.round(performance.now() - t0), status, error }
    if (status !== null && isSuccess(status)) return { d, outcome, next: { status: 'delivered', nextAttemptAt: null } }
    const retry = shouldRetry({ status: status ?? undefined, error: error ?? undefined })
      ? nextAttemptAt(d.attempts + 1, d.first_attempt_at === null ? startedAt : new Date(d.first_attempt_at), startedAt)
      : null
    return { d, outcome, next: { status: retry === null ? 'failed' : 'pending', nextAttemptAt: retry } }
  }

  /**
   * When the database is unreachable a delivery stays this worker's, so it takes it back the
   * moment the database answers; any other failure lets go of it, and it waits out its lease
   * like a dead worker's instead of failing again every round.
   */
  async function letGoUnlessDatabase (d: ClaimedDelivery, err: unknown): Promise<void> {
    if (!isDatabaseUnavailable(err)) await disownDelivery(db, d, worker).catch(() => {})
  }

  /** Records the round's attempts in one statement; if that fails for a reason of its own, one by one, so one bad row costs only itself. */
  async function record (sent: RecordedAttempt[]): Promise<{ recorded: Set<string>; failed?: Set<string>; failure?: unknown }> {
    try {
      return { recorded: await recordAttempts(db, worker, sent) }
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err
      log.warn({ err, worker, attempts: sent.length }, 'webhook attempts not recorded together; recording them one by one')
    }
    const recorded = new Set<string>()
    const failed = new Set<string>()
    let failure: unknown
    for (const a of sent) {
      try {
        for (const id of await recordAttempts(db, worker, [a])) recorded.add(id)
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err
        failure ??= err
        failed.add(a.d.id)
        await letGoUnlessDatabase(a.d, err)
      }
    }
    return { recorded, failed, failure }
  }

  // One round at a time: a claim takes back this worker's own leases, so a second round beside
  // one in flight would send its deliveries again. A caller arriving mid-round shares that round.
  let round: Promise<number> | undefined
  const runOnce = (): Promise<number> => (round ??= runRound().finally(() => { round = undefined }))

  /** Logs what became of the attempts just recorded (or not). */
  function report (sent: RecordedAttempt[], recorded: Set<string>, failed: Set<string> | undefined): void {
    for (const { d, outcome, next } of sent) {
      const fields = { deliveryId: d.id, attempt: d.attempts + 1, status: outcome.status }
      if (failed?.has(d.id) === true) log.warn(fields, 'webhook attempt could not be recorded; the delivery is let go until its lease lapses')
      // Its lease lapsed or a redelivery cleared it while the POST was out: whoever holds it now records.
      else if (!recorded.has(d.id)) log.warn(fields, 'webhook attempt not recorded: the delivery was leased again meanwhile')
      else if (next.status !== 'delivered') log.info({ ...fields, error: outcome.error, retryAt: next.nextAttemptAt }, next.status === 'failed' ? 'webhook delivery failed' : 'webhook delivery will be retried')
    }
  }

  async function runRound (): Promise<number> {
    const claimed = await claimDeliveries(db, worker, batchSize, leaseMs)
    // Attempts are recorded in waves as their POSTs end (whatever ended while the last wave was
    // being written goes in the next), so a quick answer is not left unrecorded behind a slow
    // endpoint. Every attempt of the round ends before the next claim, even when one fails: the
    // next claim takes this worker's leases back, and must not take one still on the wire.
    const ended: Array<{ ok: true; a: RecordedAttempt } | { ok: false; d: ClaimedDelivery; err: unknown }> = []
    let signal: () => void = () => {}
    const onEnd = (r: (typeof ended)[number]) => { ended.push(r); signal() }
    for (const d of claimed) void attempt(d).then((a) => onEnd({ ok: true, a }), (err: unknown) => onEnd({ ok: false, d, err }))
    let taken = 0
    let failure: unknown
    let databaseGone = false
    while (taken < claimed.length) {
      if (ended.length === taken) await new Promise<void>((resolve) => { signal = resolve })
      const wave = ended.slice(taken)
      taken += wave.length
      const sent: RecordedAttempt[] = []
      for (const r of wave) {
        if (r.ok) { sent.push(r.a); continue }
        failure ??= r.err
        log.warn({ err: r.err, deliveryId: r.d.id, worker }, 'webhook delivery not sent')
        if (!databaseGone) await letGoUnlessDatabase(r.d, r.err)
      }
      // With the database gone, what is still out stays leased: it is sent again once it is back.
      if (databaseGone || sent.length === 0) continue
      try {
        const { recorded, failed, failure: recordFailure } = await record(sent)
        failure ??= recordFailure
        report(sent, recorded, failed)
      } catch (err) {
        failure ??= err
        databaseGone = true
      }
    }
    if (failure !== undefined) throw failure
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
