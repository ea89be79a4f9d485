// Short-lived memory of API key lookups, so authentication rarely costs a database round trip:
// - keys found (valid, revoked or expired) for SHINSA_AUTH_CACHE_MS; revoking through this
//   instance forgets that key at once, other instances see it within SHINSA_AUTH_CACHE_MS;
// - hashes found in no row ("misses") for SHINSA_AUTH_MISS_CACHE_MS, so a repeated made-up key
//   costs no lookup. A key created here is taken out of the misses at once; one created on
//   another instance could only have been missed by someone who guessed its 256 random bits.
// Both are bounded LRUs: a flood of made-up keys cannot grow them past MAX_ENTRIES, and only
// keys that exist enter the first, so a flood cannot push real keys out of it.
import type { ApiKeyRow } from '../db/api-keys.js'

export const MAX_ENTRIES = 10_000

/** A Map kept in recency order (a hit moves to the end), dropping the oldest past `max`. */
class Lru<V> {
  readonly #map = new Map<string, V>()
  constructor (readonly max: number) {}
  get (key: string): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  set (key: string, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value as string)
  }

  delete (key: string): void { this.#map.delete(key) }
  clear (): void { this.#map.clear() }
  entries (): IterableIterator<[string, V]> { return this.#map.entries() }
  get size (): number { return this.#map.size }
}

export type CachedKey = { row: ApiKeyRow; fresh: boolean }

export class KeyCache {
  readonly #ttlMs: number
  readonly #missTtlMs: number
  readonly #keys = new Lru<{ row: ApiKeyRow; until: number }>(MAX_ENTRIES)
  readonly #misses = new Lru<number>(MAX_ENTRIES)

  constructor (ttlMs: number, missTtlMs: number) {
    this.#ttlMs = ttlMs
    this.#missTtlMs = missTtlMs
  }

  /**
   * The key with this hash as last read, and whether that read is recent enough to act on
   * (`fresh`). A stale entry still says the hash belonged to a real key (see auth.ts).
   */
  get (hash: Buffer): CachedKey | undefined {
    const hit = this.#keys.get(hash.toString('base64'))
    return hit === undefined ? undefined : { row: hit.row, fresh: hit.until > Date.now() }
  }

  set (hash: Buffer, row: ApiKeyRow): void {
    const key = hash.toString('base64')
    this.#misses.delete(key)
    this.#keys.set(key, { row, until: Date.now() + this.#ttlMs })
  }

  /** Whether this hash was found in no row within SHINSA_AUTH_MISS_CACHE_MS. */
  missed (hash: Buffer): boolean {
    const key = hash.toString('base64')
    const until = this.#misses.get(key)
    if (until === undefined) return false
    if (until > Date.now()) return true
    this.#misses.delete(key)
    return false
  }

  miss (hash: Buffer): void {
    if (this.#missTtlMs > 0) this.#misses.set(hash.toString('base64'), Date.now() + this.#missTtlMs)
  }

  /** A key was just created with this hash: it must work at once. */
  created (hash: Buffer): void {
    this.#misses.delete(hash.toString('base64'))
  }

  /** A key was revoked: forget it, so the next request reads its revocation. */
  forget (keyId: string): void {
    for (const [hash, entry] of this.#keys.entries()) if (entry.row.id === keyId) this.#keys.delete(hash)
  }

  clear (): void {
    this.#keys.clear()
    this.#misses.clear()
  }

  /** Entries held, for tests and the bench: bounded by MAX_ENTRIES each. */
  get sizes (): { keys: number; misses: number } {
    return { keys: this.#keys.size, misses: this.#misses.size }
  }
}
