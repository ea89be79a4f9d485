// Per-rule counts of a ruleset version (evaluated, matched, errors, the last error), added to in
// batches: an instance sums its decisions in memory and writes the sums every few seconds.
import { sql, type Kysely } from 'kysely'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import type { DB } from './types.js'

export type RuleCountDelta = {
  merchantId: string
  version: number
  ruleId: string
  role: 'live' | 'shadow'
  evaluated: number
  matched: number
  errors: number
  lastError: string | null
}

export async function addRuleCounts (db: Kysely<DB>, deltas: readonly RuleCountDelta[]): Promise<void> {
  if (deltas.length === 0) return
  const values = sql.join(deltas.map((d) => sql`(${d.merchantId}::uuid, ${d.version}::int, ${d.ruleId}::text, ${d.role}::text,
    ${d.evaluated}::bigint, ${d.matched}::bigint, ${d.errors}::bigint, ${d.lastError}::text)`))
  // Joined to rulesets so counts of a version deleted meanwhile (its merchant erased) are dropped.
  await sql`insert into ruleset_rule_counts (merchant_id, version, rule_id, role, evaluated, matched, errors, last_error, last_error_at)
    select v.m, v.ver, v.rule, v.role, v.ev, v.ma, v.er, v.le, case when v.le is null then null else now() end
    from (values ${values}) as v(m, ver, rule, role, ev, ma, er, le)
    join rulesets r on r.merchant_id = v.m and r.version = v.ver
    on conflict (merchant_id, version, rule_id, role) do update set
      evaluated = ruleset_rule_counts.evaluated + excluded.evaluated,
      matched = ruleset_rule_counts.matched + excluded.matched,
      errors = ruleset_rule_counts.errors + excluded.errors,
      last_error = coalesce(excluded.last_error, ruleset_rule_counts.last_error),
      last_error_at = coalesce(excluded.last_error_at, ruleset_rule_counts.last_error_at)`.execute(db)
}

/** A stored version's body, for compiling it once per process. */
export async function findRulesetBody (db: Kysely<DB>, merchantId: string, version: number): Promise<RulesetBody | undefined> {
  const row = await db.selectFrom('rulesets').select('body').where('merchant_id', '=', merchantId).where('version', '=', version).executeTakeFirst()
  return row?.body
}
