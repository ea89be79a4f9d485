// The circuit breaker of an endpoint: after FAILURES_TO_OPEN failed attempts in a row
// (timeouts, refused connections, 5xx) nothing more is posted to it for a cool-down; then one
// delivery goes as a probe (half-open): success closes the circuit, failure opens it again for
// twice as long, up to MAX_COOLDOWN_MS. The POSTs already on the wire when it opens count for
// nothing when they fail (however many were in flight, the first cool-down is the base one).
// Deliveries held back meanwhile are postponed, not failed, and not counted as attempts. A 2xx
// resets the count; any other answer (4xx, 3xx) says the endpoint is up and neither counts nor resets.

export const FAILURES_TO_OPEN = 5
export const BASE_COOLDOWN_MS = 30_000
export const MAX_COOLDOWN_MS = 10 * 60_000

export type CircuitSettings = { failuresToOpen: number; baseCooldownMs: number; maxCooldownMs: number }
export const DEFAULT_CIRCUIT: CircuitSettings = { failuresToOpen: FAILURES_TO_OPEN, baseCooldownMs: BASE_COOLDOWN_MS, maxCooldownMs: MAX_COOLDOWN_MS }

export type CircuitVerdict = 'success' | 'failure' | 'neutral'

/** What an attempt says about its endpoint's health. */
export function circuitVerdict (outcome: { status: number | null }): CircuitVerdict {
  const { status } = outcome
  if (status === null || status >= 500) return 'failure'
  return status >= 200 && status <= 299 ? 'success' : 'neutral'
}
