// API key material: random secrets shown once, stored only as a SHA-256 hash. Keys carry
// 256 bits of entropy, so a fast hash is enough; a slow password hash would buy nothing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const KEY_PREFIX = 'shinsa_'
const DISPLAY_LENGTH = KEY_PREFIX.length + 8

export type NewKey = { key: string; prefix: string; hash: Buffer }

export function generateKey (): NewKey {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url')
  return { key, prefix: key.slice(0, DISPLAY_LENGTH), hash: hashKey(key) }
}

export function hashKey (key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest()
}

/** Constant-time equality of two secrets of any length (compares their digests). */
export function secretsEqual (a: string, b: string): boolean {
  return timingSafeEqual(hashKey(a), hashKey(b))
}
