// Repository for webhook attempts: each recorded with its delivery's new state and its
// endpoint's circuit breaker, only by the worker that holds the delivery; letting go of a
// delivery; and postponing an endpoint's deliveries while its circuit is open.
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB, DeliveryStatus } from './types.js'
import type { ClaimedDelivery } from './webhook-deliveries.js'
import type { CircuitSettings, CircuitVerdict } from '../domain/webhooks/circuit.js'

export type AttemptOutcome = { startedAt: Date; latencyMs: number; status: number | null; error: string | null }

export type RecordedAttempt = {
  d: ClaimedDelivery; outcome: AttemptOutcome; next: { status: DeliveryStatus; nextAttemptAt: Date | null }
  /** What the attempt says about its endpoint's health. */
  verdict: CircuitVerdict
}

/** An endpoint whose circuit the recorded attempts left open, and until when. */
export type OpenCircuit = { merchant_id: string; endpoint_id: string; open_until: Date }

/**
 * Records attempts and their deliveries' new states in one statement, each only if `worker`
 * still holds the delivery: a lease that lapsed (or a redelivery that cleared it) belongs to
 * whoever claimed it since, and a stale write would clear their lease and reuse their attempt
 * number. In the same statement each endpoint's breaker moves: a success closes it and clears
 * the count; failures add to it, and at `failuresToOpen` open it for the base cool-down; each failed
 * probe after a cool-down opens it again for twice as long (up to `maxCooldownMs`). Failures of
 * attempts that were already on the wire when it opened count for nothing. Answers the ids recorded and the circuits
 * now open.
 */
export async function recordAttempts (
  db: Kysely<DB>, worker: string, attempts: readonly RecordedAttempt[], circuit: CircuitSettings
): Promise<{ recorded: Set<string>; opened: OpenCircuit[] }> {
  if (attempts.length === 0) return { recorded: new Set(), opened: [] }
  const rows = attempts.map(({ d, outcome, next, verdict }) => ({
    merchant_id: d.merchant_id, id: d.id, attempt: d.attempts + 1, status: next.status,
    first_attempt_at: (d.first_attempt_at ?? outcome.startedAt), next_attempt_at: next.nextAttemptAt,
    started_at: outcome.startedAt, latency_ms: outcome.latencyMs, last_status: outcome.status, last_error: outcome.error,
    delivered_at: next.status === 'delivered' ? outcome.startedAt : null, verdict,
  }))
  // The cool-down after `failures` in a row: the base at the threshold, doubling with each failed probe.
  const cooldown = (failures: RawBuilder<unknown>) => sql`least(${circuit.baseCooldownMs}::float8 * power(2, greatest(${failures} - ${circuit.failuresToOpen}::int, 0)),
    ${circuit.maxCooldownMs}::float8) * interval '1 millisecond'`
  const { rows: [result] } = await sql<{ held: string[]; opened: OpenCircuit[] }>`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        merchant_id uuid, id uuid, attempt int, status text, first_attempt_at timestamptz, next_attempt_at timestamptz,
        started_at timestamptz, latency_ms int, last_status int, last_error text, delivered_at timestamptz, verdict text)
    ), held as (
      update webhook_deliveries d set
        attempts = v.attempt, status = v.status, first_attempt_at = v.first_attempt_at,
        next_attempt_at = coalesce(v.next_attempt_at, d.next_attempt_at), lease_until = null, lease_owner = null,
        last_status = v.last_status, last_error = v.last_error, delivered_at = v.delivered_at
      from v, webhook_deliveries was
      where d.merchant_id = v.merchant_id and d.id = v.id and d.lease_owner = ${worker}
        and was.merchant_id = d.merchant_id and was.id = d.id
      returning d.merchant_id, d.id, d.endpoint_id, was.lease_until as leased_until
    ), logged as (
      insert into webhook_attempts (merchant_id, delivery_id, attempt, started_at, latency_ms, status, error)
      select v.merchant_id, v.id, v.attempt, v.started_at, v.latency_ms, v.last_status, v.last_error
      from v join held on held.merchant_id = v.merchant_id and held.id = v.id
    ), health as (
      -- A failure counts only if its attempt started while the circuit was closed, or is the probe
      -- (its claim set the circuit's end to the probe's lease end): the others were on the wire
      -- when it opened.
      select held.merchant_id, held.endpoint_id, bool_or(v.verdict = 'success') as ok,
        count(*) filter (where v.verdict = 'failure'
          and (e.circuit_open_until is null or held.leased_until = e.circuit_open_until))::int as failures,
        e.circuit_open_until is null as closed
      from v join held on held.merchant_id = v.merchant_id and held.id = v.id
        join webhook_endpoints e on e.merchant_id = held.merchant_id and e.id = held.endpoint_id
      group by held.merchant_id, held.endpoint_id, e.circuit_open_until
    ), counted as (
      -- Closed: failures add up to the threshold, where it opens for the base cool-down however
      -- many failed together. Open: a failed probe (one or several) is one more opening, twice as long.
      select h.*, case when h.ok then 0
        when h.closed then least(e.consecutive_failures + h.failures, greatest(e.consecutive_failures, ${circuit.failuresToOpen}::int))
        else e.consecutive_failures + 1 end as next_failures
      from health h join webhook_endpoints e on e.merchant_id = h.merchant_id and e.id = h.endpoint_id
    ), breaker as (
      update webhook_endpoints e set
        consecutive_failures = h.next_failures,
        circuit_open_until = case
          when h.ok then null
          when h.next_failures >= ${circuit.failuresToOpen}::int then now() + ${cooldown(sql`h.next_failures`)}
          else e.circuit_open_until end
      from counted h
      where e.merchant_id = h.merchant_id and e.id = h.endpoint_id
        and (h.failures > 0 or (h.ok and (e.consecutive_failures > 0 or e.circuit_open_until is not null)))
      returning e.merchant_id, e.id as endpoint_id, e.circuit_open_until as open_until
    )
    select coalesce((select json_agg(id) from held), '[]'::json) as held,
      coalesce((select json_agg(b) from breaker b where b.open_until is not null), '[]'::json) as opened`.execute(db)
  return {
    recorded: new Set(result!.held),
    opened: result!.opened.map((o) => ({ ...o, open_until: new Date(o.open_until) })),
  }
}

/**
 * Holds back an open endpoint's waiting deliveries until its circuit may let a probe through
 * (read from the endpoint, so a circuit closed meanwhile holds nothing back): their next attempt
 * moves, their attempts do not. One that would then be past its 24-hour retry budget (from its
 * first attempt, or from when it was queued) is failed instead.
 */
export async function postponeDeliveries (db: Kysely<DB>, c: Pick<OpenCircuit, 'merchant_id' | 'endpoint_id'>, retryForMs: number): Promise<void> {
  const budget = sql`coalesce(d.first_attempt_at, d.created_at) + ${`${retryForMs} milliseconds`}::interval < e.circuit_open_until`
  await sql`
    update webhook_deliveries d set
      next_attempt_at = e.circuit_open_until,
      status = case when ${budget} then 'failed' else d.status end,
      last_error = case when ${budget} then 'endpoint unreachable (circuit open) past the retry period' else d.last_error end
    from webhook_endpoints e
    where e.merchant_id = ${c.merchant_id} and e.id = ${c.endpoint_id} and e.circuit_open_until > now()
      and d.merchant_id = e.merchant_id and d.endpoint_id = e.id and d.status = 'pending'
      and d.next_attempt_at < e.circuit_open_until and (d.lease_owner is null or d.lease_until < now())`.execute(db)
}

/**
 * Gives up `worker`'s claim on a delivery it could not send or record for a reason of its own
 * (not the database): the lease runs out as it would for a dead worker, instead of the worker
 * taking it straight back and failing on it every second.
 */
export async function disownDelivery (db: Kysely<DB>, d: { merchant_id: string; id: string }, worker: string): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ lease_owner: null })
    .where('merchant_id', '=', d.merchant_id).where('id', '=', d.id).where('lease_owner', '=', worker).execute()
}
