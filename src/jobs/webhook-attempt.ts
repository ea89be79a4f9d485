// One webhook attempt: the body (a digest paged to its cap first), signed with the endpoint's
// secret (both during a rotation), POSTed with undici under one timeout for the whole exchange,
// and what came of it — the delivery's next state and what it says of the endpoint's health.
import type { Kysely } from 'kysely'
import { request, type Dispatcher } from 'undici'
import { deliveryEvents, pageDigest, type ClaimedDelivery } from '../db/webhook-deliveries.js'
import type { RecordedAttempt } from '../db/webhook-attempts.js'
import type { DB } from '../db/types.js'
import { isSuccess, nextAttemptAt, shouldRetry } from '../domain/webhooks/backoff.js'
import { circuitVerdict } from '../domain/webhooks/circuit.js'
import { digestEnvelope, eventEnvelope } from '../domain/webhooks/payload.js'
import { signatureHeader } from '../domain/webhooks/signature.js'

export type AttemptOptions = { dispatcher: Dispatcher; timeoutMs: number; maxDigestEvents: number; worker: string; now: () => Date }

/** The body to send and the signature over it. */
async function prepare (db: Kysely<DB>, d: ClaimedDelivery, now: Date, maxDigestEvents: number): Promise<{ body: string; signature: string }> {
  const events = await deliveryEvents(db, d, maxDigestEvents)
  const envelopes = events.map((e) => eventEnvelope({ id: e.id, type: e.type, created: new Date(e.created_at), merchantId: d.merchant_id, data: e.data }))
  const payload = d.event_id !== null ? envelopes[0] : digestEnvelope({ id: d.id, created: now, merchantId: d.merchant_id, events: envelopes })
  const body = JSON.stringify(payload)
  const rotating = d.previous_secret !== null && d.previous_secret_until !== null && new Date(d.previous_secret_until) > now
  return { body, signature: signatureHeader(rotating ? [d.secret, d.previous_secret!] : d.secret, body, now) }
}

async function send (d: ClaimedDelivery, body: string, signature: string, opts: AttemptOptions) {
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

/**
 * Prepares and sends one delivery; answers the attempt to record. A database error while
 * preparing is thrown (nothing was sent); an error on the wire is the delivery's, whatever its
 * code (ECONNREFUSED too).
 */
export async function attempt (db: Kysely<DB>, d: ClaimedDelivery, opts: AttemptOptions): Promise<RecordedAttempt> {
  const startedAt = opts.now()
  const t0 = performance.now()
  let status: number | null = null
  let error: string | null = null
  await pageDigest(db, d, opts.worker, opts.maxDigestEvents)
  const { body, signature } = await prepare(db, d, startedAt, opts.maxDigestEvents)
  try {
    status = await send(d, body, signature, opts)
  } catch (err) {
    // What went wrong on the wire, never the payload: it carries personal data.
    // Cut by code point: half a surrogate pair is not valid JSON text for the record's jsonb.
    error = err instanceof Error ? [...`${err.name}: ${(err as { code?: string }).code ?? err.message}`].slice(0, 300).join('') : 'unknown error'
  }
  const outcome = { startedAt, latencyMs: Math.round(performance.now() - t0), status, error }
  const verdict = circuitVerdict({ status })
  if (status !== null && isSuccess(status)) return { d, outcome, verdict, next: { status: 'delivered', nextAttemptAt: null } }
  const retry = shouldRetry({ status: status ?? undefined, error: error ?? undefined })
    ? nextAttemptAt(d.attempts + 1, d.first_attempt_at === null ? startedAt : new Date(d.first_attempt_at), startedAt)
    : null
  return { d, outcome, verdict, next: { status: retry === null ? 'failed' : 'pending', nextAttemptAt: retry } }
}
