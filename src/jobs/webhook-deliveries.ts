// The webhook worker: a pool that keeps up to `concurrency` POSTs on the wire and claims new
// work from PostgreSQL as each one ends (several instances are safe: FOR UPDATE SKIP LOCKED
// under leases), at most `perEndpoint` to one endpoint and none to an endpoint whose circuit is
// open — so one slow or dead endpoint holds a few slots, never the whole worker. A POST still
// unanswered after `stallMs` lends its slot (up to `concurrency` lent): a black hole's POSTs wait
// out their timeout beside the pool, not in it. Each endpoint has sockets of its own, no more
// than `perEndpoint` (EndpointAgent). Attempts are recorded in waves as their POSTs end; each
// schedules the next with backoff for 24 hours.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Dispatcher } from 'undici'
import { claimDeliveries, type ClaimedDelivery } from '../db/webhook-deliveries.js'
import { disownDelivery, postponeDeliveries, recordAttempts, type RecordedAttempt } from '../db/webhook-attempts.js'
import { isDatabaseUnavailable } from '../plugins/problem.js'
import type { DB } from '../db/types.js'
import { RETRY_FOR_MS } from '../domain/webhooks/backoff.js'
import { DEFAULT_CIRCUIT, type CircuitSettings } from '../domain/webhooks/circuit.js'
import { MAX_DIGEST_EVENTS } from '../domain/webhooks/payload.js'
import { attempt } from './webhook-attempt.js'
import { EndpointAgent } from './webhook-dispatcher.js'

export type WebhookWorkerOptions = {
  dispatcher: Dispatcher
  pollMs?: number
  leaseMs?: number
  /** POSTs on the wire at once (20). */
  concurrency?: number
  /** Deliveries of one endpoint leased at once, across every worker (4). */
  perEndpoint?: number
  /** Per attempt: the whole exchange must end within this. */
  timeoutMs?: number
  /** A POST unanswered this long no longer counts against `concurrency` (1000). */
  stallMs?: number
  circuit?: CircuitSettings
  maxDigestEvents?: number
  loop?: boolean
  now?: () => Date
}

export type WebhookWorker = {
  kick: () => void
  /** Claims once, sends what it got and records it; answers how many were attempted. */
  runOnce: () => Promise<number>
  /** Stops claiming, lets what is on the wire end and be recorded. */
  stop: () => Promise<void>
}

type Ended = { ok: true; a: RecordedAttempt } | { ok: false; d: ClaimedDelivery; err: unknown }

export function startWebhookWorker (db: Kysely<DB>, log: FastifyBaseLogger, opts: WebhookWorkerOptions): WebhookWorker {
  const pollMs = opts.pollMs ?? 1000
  const leaseMs = opts.leaseMs ?? 60_000
  const concurrency = opts.concurrency ?? 20
  const perEndpoint = opts.perEndpoint ?? 4
  const stallMs = opts.stallMs ?? 1000
  const circuit = opts.circuit ?? DEFAULT_CIRCUIT
  const worker = randomUUID()
  const attemptOptions = {
    timeoutMs: opts.timeoutMs ?? 10_000, maxDigestEvents: opts.maxDigestEvents ?? MAX_DIGEST_EVENTS,
    worker, now: opts.now ?? (() => new Date()),
  }
  /** Claimed and not yet recorded (on the wire, or waiting for its record): never claimed again meanwhile. */
  const held = new Set<string>()
  /** Held, still on the wire after `stallMs`: their slots are lent to the rest. */
  const stalled = new Set<string>()
  /** Deliveries the loop may claim now: `concurrency` active, and no more than as many again waiting. */
  const room = () => Math.max(0, Math.min(concurrency - (held.size - stalled.size), 2 * concurrency - held.size))
  // An endpoint's own sockets, capped at its share, when the dispatcher can give them (not MockAgent).
  const wire = (d: ClaimedDelivery): Dispatcher => opts.dispatcher instanceof EndpointAgent
    ? opts.dispatcher.endpoint(`${d.merchant_id}/${d.endpoint_id}`, new URL(d.url).origin, perEndpoint)
    : opts.dispatcher
  let running = true
  let wake: (() => void) | undefined
  let kicked = false
  const poke = () => { const w = wake; wake = undefined; w?.() }

  /** Not the database: lets go of the delivery, which waits out its lease like a dead worker's instead of failing every second. With the database gone it stays this worker's, to be taken back when it returns. */
  async function letGoUnlessDatabase (d: ClaimedDelivery, err: unknown): Promise<void> {
    if (!isDatabaseUnavailable(err)) await disownDelivery(db, d, worker).catch(() => {})
  }

  /** Records attempts together; if that fails for a reason of its own, one by one, so one bad row costs only itself. */
  async function record (sent: RecordedAttempt[]): Promise<{ recorded: Set<string>; failed: Set<string>; failure?: unknown }> {
    const failed = new Set<string>()
    try {
      const r = await recordAttempts(db, worker, sent, circuit)
      await postpone(r.opened)
      return { recorded: r.recorded, failed }
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err
      log.warn({ err, worker, attempts: sent.length }, 'webhook attempts not recorded together; recording them one by one')
    }
    const recorded = new Set<string>()
    let failure: unknown
    for (const a of sent) {
      try {
        const r = await recordAttempts(db, worker, [a], circuit)
        for (const id of r.recorded) recorded.add(id)
        await postpone(r.opened)
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err
        failure ??= err
        failed.add(a.d.id)
        await letGoUnlessDatabase(a.d, err)
      }
    }
    return { recorded, failed, failure }
  }

  async function postpone (opened: Awaited<ReturnType<typeof recordAttempts>>['opened']): Promise<void> {
    for (const c of opened) {
      log.warn({ endpointId: c.endpoint_id, until: c.open_until }, 'webhook endpoint circuit open: its deliveries are postponed')
      await postponeDeliveries(db, c, RETRY_FOR_MS)
    }
  }

  /** Logs what became of the attempts just recorded (or not). */
  function report (sent: RecordedAttempt[], recorded: Set<string>, failed: Set<string>): void {
    for (const { d, outcome, next } of sent) {
      const fields = { deliveryId: d.id, attempt: d.attempts + 1, status: outcome.status }
      if (failed.has(d.id)) log.warn(fields, 'webhook attempt could not be recorded; the delivery is let go until its lease lapses')
      // Its lease lapsed or a redelivery cleared it while the POST was out: whoever holds it now records.
      else if (!recorded.has(d.id)) log.warn(fields, 'webhook attempt not recorded: the delivery was leased again meanwhile')
      else if (next.status !== 'delivered') log.info({ ...fields, error: outcome.error, retryAt: next.nextAttemptAt }, next.status === 'failed' ? 'webhook delivery failed' : 'webhook delivery will be retried')
    }
  }

  // What has ended and waits to be recorded; one recorder at a time takes it all as one wave.
  const ended: Array<Ended & { done: (err?: unknown) => void }> = []
  let recording: Promise<void> | undefined
  const flush = () => { recording ??= recordWaves().finally(() => { recording = undefined; if (ended.length > 0) flush() }) }

  async function recordWaves (): Promise<void> {
    while (ended.length > 0) {
      const wave = ended.splice(0)
      const sent: RecordedAttempt[] = []
      const settle = (ids: Iterable<string>) => { for (const id of ids) held.delete(id) }
      for (const r of wave) {
        if (r.ok) { sent.push(r.a); continue }
        log.warn({ err: r.err, deliveryId: r.d.id, worker }, 'webhook delivery not sent')
        await letGoUnlessDatabase(r.d, r.err)
      }
      let failure: unknown
      try {
        if (sent.length > 0) {
          const { recorded, failed, failure: f } = await record(sent)
          failure = f
          report(sent, recorded, failed)
        }
      } catch (err) {
        // The database is gone: what this wave sent stays leased to this worker, which takes it
        // back (and sends it again: at least once) as soon as the database answers.
        failure = err
      }
      settle(wave.map((r) => (r.ok ? r.a.d.id : r.d.id)))
      for (const r of wave) r.done(r.ok ? failure : r.err)
      poke()
    }
  }

  /** Sends each claimed delivery; each promise settles once its attempt is recorded (rejects with what went wrong). */
  function dispatch (claimed: ClaimedDelivery[]): Array<Promise<void>> {
    return claimed.map((d) => {
      held.add(d.id)
      const stall = setTimeout(() => { stalled.add(d.id); poke() }, stallMs)
      const off = () => { clearTimeout(stall); stalled.delete(d.id) }
      return new Promise<void>((resolve, reject) => {
        const done = (err?: unknown) => (err === undefined ? resolve() : reject(err))
        void attempt(db, d, { ...attemptOptions, dispatcher: wire(d) }).then(
          (a) => { off(); ended.push({ ok: true, a, done }); flush() },
          (err: unknown) => { off(); ended.push({ ok: false, d, err, done }); flush() })
      })
    })
  }

  // Claims one at a time: two at once could both count an endpoint's room.
  let claiming: Promise<ClaimedDelivery[]> | undefined
  const claim = (limit: number) => (claiming ??= claimDeliveries(db, worker, { limit, leaseMs, held: [...held], perEndpoint })
    .finally(() => { claiming = undefined }))

  async function runOnce (): Promise<number> {
    const claimed = await claim(Math.max(0, concurrency - held.size))
    const results = await Promise.allSettled(dispatch(claimed))
    const failure = results.find((r) => r.status === 'rejected')
    if (failure !== undefined) throw (failure as PromiseRejectedResult).reason
    return claimed.length
  }

  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { wake = undefined; resolve() }, ms)
    wake = () => { clearTimeout(timer); resolve() }
  })

  async function loop (): Promise<void> {
    while (running) {
      let got = 0
      if (room() > 0) {
        try {
          const claimed = await claim(room())
          got = claimed.length
          // Failures are logged as recorded; the pool does not wait for them.
          for (const p of dispatch(claimed)) p.catch(() => {})
        } catch (err) {
          log.warn({ err, worker }, 'webhook worker: will try again')
          if (running) await pause(pollMs)
          continue
        }
      }
      if (!running) break
      if (kicked) { kicked = false; continue }
      // Full: wait for a slot. Nothing due: wait for the poll, a kick or a slot.
      if (got > 0 && room() > 0) continue
      await pause(room() === 0 ? 60_000 : pollMs)
    }
  }

  const done = opts.loop === false ? Promise.resolve() : loop()
  return {
    kick: () => { kicked = true; poke() },
    runOnce,
    stop: async () => {
      running = false
      poke()
      await done
      while (held.size > 0 || recording !== undefined) await new Promise((resolve) => setTimeout(resolve, 10))
    },
  }
}
