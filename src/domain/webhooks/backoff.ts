// When to try a failed webhook delivery again, and whether to: exponential backoff with equal
// jitter for 24 hours from the first attempt, then the delivery is marked failed.
//
// Equal jitter (half the delay fixed, half random) rather than full jitter: full jitter can draw
// a delay near zero, hitting an endpoint that has just failed again within milliseconds; equal
// jitter keeps a floor of half the delay and still spreads a backlog to one endpoint over the
// other half, so deliveries queued behind an outage do not all return at the same instant.

export const BASE_DELAY_MS = 10_000
export const MAX_DELAY_MS = 60 * 60_000
export const RETRY_FOR_MS = 24 * 60 * 60_000

/**
 * The time of the next attempt after `attempt` attempts have failed (1 after the first), or null
 * to give up: the next attempt would fall after `firstAttemptAt` + 24 h. Delay before jitter:
 * min(10 s · 2^(attempt−1), 1 h) — 10 s, 20 s, 40 s … reaching the 1 h cap at the 10th attempt.
 */
export function nextAttemptAt(attempt: number, firstAttemptAt: Date, now: Date, random: () => number = Math.random): Date | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`)
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS)
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2))
  const next = now.getTime() + delay
  return next > firstAttemptAt.getTime() + RETRY_FOR_MS ? null : new Date(next)
}

export const isSuccess = (status: number): boolean => status >= 200 && status <= 299

/**
 * Whether a failed attempt is worth repeating. `status` is the HTTP status when one came back;
 * `error` describes a failure with none (refused connection, DNS, TLS, timeout).
 *
 * Only 410 Gone stops retries early: the merchant says the endpoint is gone for good. Every other
 * 4xx is retried until the 24 h run out — 408 and 429 by their meaning, and 400/401/403/404 because
 * they usually come from a deploy gone wrong or a secret not yet rolled out, which a merchant
 * fixes within hours; dropping the event would lose a fraud alert, and retrying costs little.
 * Redirects (3xx) are not followed — the target could be a private address — and count as
 * failures, retried the same way so a merchant can correct the URL.
 */
export function shouldRetry(outcome: { status?: number; error?: string }): boolean {
  const { status } = outcome
  if (status === undefined) return true
  if (isSuccess(status)) return false
  return status !== 410
}
