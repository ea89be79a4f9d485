// A short-lived cache of API keys by hash, so an authenticated request does not pay a database
// round trip for its key every time. Revoking through this instance clears it at once; other
// instances see a revocation within SHINSA_AUTH_CACHE_MS. Unknown keys are never cached.
import type { ApiKeyRow } from '../db/api-keys.js'

const MAX_ENTRIES = 10_000

export class KeyCache {
  readonly #ttlMs: number
  readonly #entries = new Map<string, { row: ApiKeyRow; until: number }>()

  constructor (ttlMs: number) {
    this.#ttlMs = ttlMs
  }

  get (hash: Buffer): ApiKeyRow | undefined {
    if (this.#ttlMs === 0) return undefined
    const key = hash.toString('base64')
    const hit = this.#entries.get(key)
    if (hit === undefined) return undefined
    if (hit.until <= Date.now()) {
      this.#entries.delete(key)
      return undefined
    }
    return hit.row
  }

  set (hash: Buffer, row: ApiKeyRow): void {
    if (this.#ttlMs === 0) return
    // A crude bound: past it, start again rather than track recency on every hit.
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    this.#entries.set(hash.toString('base64'), { row, until: Date.now() + this.#ttlMs })
  }

  clear (): void {
    this.#entries.clear()
  }
}
