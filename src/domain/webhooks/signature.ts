// Webhook signing: `Shinsa-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
// The timestamp is inside the signed text so a captured delivery cannot be replayed later.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** A new endpoint secret, shown to the merchant once. 32 random bytes: as strong as the HMAC key can use. */
export function generateSecret(): string {
  return 'whsec_' + randomBytes(32).toString('base64url')
}

/** The key is the whole secret string as UTF-8, `whsec_` included — what the merchant copies is what they use. */
function sign(secret: string, t: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')
}

/**
 * The header for a body sent at `at`. While a secret is being rotated the sender passes both
 * (new first): each gets its own v1, so the merchant's check passes with either secret.
 */
export function signatureHeader(secret: string | readonly string[], rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  const secrets = typeof secret === 'string' ? [secret] : secret
  return [`t=${t}`, ...secrets.map((s) => `v1=${sign(s, t, rawBody)}`)].join(',')
}

/**
 * The receiver's check: true when one v1 in the header is the HMAC of `"<t>.<rawBody>"` under
 * `secret` and t is within `toleranceSeconds` of `now` (either way, for clock skew).
 * `rawBody` must be the bytes as received — parsing and re-serializing the JSON changes them.
 */
export function verifySignature(secret: string, rawBody: string, header: string, now: Date, toleranceSeconds = 300): boolean {
  let t: number | null = null
  const candidates: string[] = []
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 0) return false
    const key = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (key === 't') {
      if (t !== null || !/^\d{1,12}$/.test(value)) return false
      t = Number(value)
    } else if (key === 'v1') {
      candidates.push(value)
    } // Other schemes (a future v2) are skipped, so old receivers keep working.
  }
  if (t === null || Math.abs(Math.floor(now.getTime() / 1000) - t) > toleranceSeconds) return false

  const expected = Buffer.from(sign(secret, t, rawBody), 'hex')
  let ok = false
  for (const candidate of candidates) {
    // timingSafeEqual throws on a length difference; a wrong-length value is simply not a match.
    const given = Buffer.from(candidate, 'hex')
    if (/^[0-9a-f]{64}$/i.test(candidate) && timingSafeEqual(given, expected)) ok = true
  }
  return ok
}
