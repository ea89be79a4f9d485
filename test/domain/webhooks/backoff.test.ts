// Retry timing (equal jitter between half and all of min(10 s · 2^(n−1), 1 h), for 24 h) and
// which outcomes are worth a retry.
import t from 'tap'
import { BASE_DELAY_MS, MAX_DELAY_MS, RETRY_FOR_MS, isSuccess, nextAttemptAt, shouldRetry } from '../../../src/domain/webhooks/backoff.js'

const first = new Date('2026-11-23T00:00:00.000Z')
const at = (ms: number) => new Date(first.getTime() + ms)
const S = 1000
const H = 3_600_000
const lowest = () => 0
const highest = () => 0.999_999_999_9

// [name, attempt, now (ms after the first attempt), random, expected delay in ms or null]
const delays: Array<[string, number, number, () => number, number | null]> = [
  ['1st failure, lowest draw: half of 10 s', 1, 0, lowest, 5 * S],
  ['1st failure, highest draw: 10 s', 1, 0, highest, 10 * S],
  ['1st failure, middle draw', 1, 0, () => 0.5, 7.5 * S],
  ['2nd failure: up to 20 s', 2, 10 * S, highest, 20 * S],
  ['3rd failure: up to 40 s', 3, 30 * S, highest, 40 * S],
  ['9th failure: 2560 s, under the cap', 9, H, highest, 2560 * S],
  ['10th failure: 5120 s capped at 1 h', 10, 2 * H, highest, H],
  ['10th failure, lowest draw: half an hour', 10, 2 * H, lowest, H / 2],
  ['50th failure: still the cap', 50, 20 * H, highest, H],
  ['2000th failure: 2^1999 overflows to Infinity, still the cap', 2000, 0, highest, H],
  // The 24 h limit is on the next attempt's time, measured from the first attempt.
  ['next attempt exactly at first + 24 h: allowed', 20, 23 * H, highest, H],
  ['next attempt 1 ms after first + 24 h: give up', 20, 23 * H + 1, highest, null],
  ['same, but a low draw still fits', 20, 23 * H + 1, lowest, H / 2],
  ['already past 24 h: give up', 1, 24 * H + 1, lowest, null],
  ['an early failure late in the window (a long outage of the worker)', 1, 24 * H - 5 * S, lowest, 5 * S],
]
for (const [name, attempt, nowMs, random, delay] of delays) {
  t.test(`nextAttemptAt: ${name}`, async (t) => {
    const next = nextAttemptAt(attempt, first, at(nowMs), random)
    t.same(next, delay === null ? null : at(nowMs + delay))
  })
}

t.test('nextAttemptAt: every draw lands in [ceiling/2, ceiling] and the run ends within 24 h', async (t) => {
  let now = first.getTime()
  let attempt = 1
  for (;;) {
    const next = nextAttemptAt(attempt, first, new Date(now))
    if (next === null) break
    const ceiling = Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS)
    const delay = next.getTime() - now
    if (delay < ceiling / 2 || delay > ceiling) t.fail(`attempt ${attempt}: ${delay} ms outside [${ceiling / 2}, ${ceiling}]`)
    now = next.getTime()
    attempt++
  }
  t.ok(now <= first.getTime() + RETRY_FOR_MS)
  // Nine attempts in the first 45–85 min, then one every 30–60 min: 32 (every draw highest) to
  // 56 (every draw lowest) attempts in all.
  t.ok(attempt >= 32 && attempt <= 56, `${attempt} attempts`)
})

t.test('nextAttemptAt: attempt must be a whole number from 1', async (t) => {
  for (const bad of [0, -1, 1.5, NaN]) t.throws(() => nextAttemptAt(bad, first, first), RangeError, String(bad))
})

// [status or error, retry?]
const outcomes: Array<[{ status?: number; error?: string }, boolean]> = [
  [{ error: 'ECONNREFUSED' }, true],
  [{ error: 'timeout' }, true],
  [{}, true],
  [{ status: 200 }, false], [{ status: 201 }, false], [{ status: 204 }, false], [{ status: 299 }, false],
  [{ status: 410 }, false], // the endpoint is gone
  [{ status: 408 }, true], [{ status: 429 }, true],
  // Other 4xx: retried for the 24 h (a merchant can fix a broken deploy or a secret).
  [{ status: 400 }, true], [{ status: 401 }, true], [{ status: 403 }, true], [{ status: 404 }, true], [{ status: 413 }, true], [{ status: 499 }, true],
  [{ status: 500 }, true], [{ status: 502 }, true], [{ status: 503 }, true], [{ status: 504 }, true], [{ status: 599 }, true],
  // Redirects are not followed: a failure like any other.
  [{ status: 301 }, true], [{ status: 302 }, true], [{ status: 307 }, true], [{ status: 308 }, true],
  [{ status: 100 }, true], [{ status: 300 }, true],
  [{ status: 503, error: 'body read failed' }, true],
]
for (const [outcome, retry] of outcomes) {
  t.test(`shouldRetry ${JSON.stringify(outcome)}`, async (t) => {
    t.equal(shouldRetry(outcome), retry)
  })
}

const success: Array<[number, boolean]> = [[199, false], [200, true], [204, true], [299, true], [300, false], [410, false], [500, false]]
for (const [status, ok] of success) {
  t.test(`isSuccess ${status}`, async (t) => {
    t.equal(isSuccess(status), ok)
  })
}
