// Repository for Idempotency-Key answers: claiming a key for a call, storing the answer it gave,
// releasing it when the call failed on the server's side, and deleting expired keys.
import { sql, type Kysely } from 'kysely'
import type { DB } from './types.js'

export type StoredAnswer = { status: number; headers: Record<string, string>; body: string }

export type KeyState =
  | { state: 'claimed' }
  | { state: 'in_flight' }
  | { state: 'mismatch' }
  | { state: 'done'; answer: StoredAnswer }

type Claim = { owner: string; key: string; fingerprint: Buffer; claim: string; lockedUntil: Date; expiresAt: Date }

/**
 * Claims the key for this call unless another holds it: a new key, an expired one, or one whose
 * holder's claim lapsed (it died mid-call) with the same fingerprint is taken; otherwise the
 * state of the call that holds it. One statement, so two calls racing cannot both claim.
 */
export async function claimKey (db: Kysely<DB>, c: Claim): Promise<KeyState> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { rows } = await sql<{ claim: string }>`
      insert into idempotency_keys (owner, key, fingerprint, claim, locked_until, expires_at)
      values (${c.owner}, ${c.key}, ${c.fingerprint}, ${c.claim}, ${c.lockedUntil}, ${c.expiresAt})
      on conflict (owner, key) do update set fingerprint = excluded.fingerprint, claim = excluded.claim,
        locked_until = excluded.locked_until, expires_at = excluded.expires_at, created_at = now(),
        response_status = null, response_headers = null, response_body = null
      where idempotency_keys.expires_at <= now()
        or (idempotency_keys.response_status is null and idempotency_keys.locked_until <= now()
          and idempotency_keys.fingerprint = excluded.fingerprint)
      returning claim`.execute(db)
    if (rows.length === 1) return { state: 'claimed' }
    const held = await db.selectFrom('idempotency_keys')
      .select(['fingerprint', 'response_status', 'response_headers', 'response_body'])
      .where('owner', '=', c.owner).where('key', '=', c.key)
      .executeTakeFirst()
    // Released between the two statements (its call failed): claim it again.
    if (held === undefined) continue
    if (!held.fingerprint.equals(c.fingerprint)) return { state: 'mismatch' }
    if (held.response_status === null) return { state: 'in_flight' }
    return { state: 'done', answer: { status: held.response_status, headers: held.response_headers ?? {}, body: held.response_body ?? '' } }
  }
  return { state: 'in_flight' }
}

/** Stores the answer of the call holding the claim. */
export async function storeAnswer (db: Kysely<DB>, owner: string, key: string, claim: string, answer: StoredAnswer): Promise<void> {
  await db.updateTable('idempotency_keys')
    .set({ response_status: answer.status, response_headers: JSON.stringify(answer.headers) as any, response_body: answer.body })
    .where('owner', '=', owner).where('key', '=', key).where('claim', '=', claim)
    .execute()
}

/** Frees the key (the call failed with a 5xx): a retry runs afresh. */
export async function releaseKey (db: Kysely<DB>, owner: string, key: string, claim: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('owner', '=', owner).where('key', '=', key).where('claim', '=', claim).execute()
}

/** Deletes up to `limit` keys that expired before `now`; the number deleted. */
export async function deleteExpiredKeys (db: Kysely<DB>, now: Date, limit: number): Promise<number> {
  const result = await sql`delete from idempotency_keys where (owner, key) in (
    select owner, key from idempotency_keys where expires_at <= ${now} limit ${limit})`.execute(db)
  return Number(result.numAffectedRows ?? 0n)
}
