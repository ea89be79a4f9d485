// The merchant rules at run time: versions compiled once per process (a version never changes
// once written, so a compiled one never goes stale) and per-rule counts summed in memory and
// written every few seconds, so a busy rule costs no write per order.
import type { Kysely } from 'kysely'
import { addRuleCounts, findRulesetBody, type RuleCountDelta } from '../db/rule-counts.js'
import type { DB } from '../db/types.js'
import { compileRuleset } from '../domain/rules/cel.js'
import type { MerchantVersion } from '../domain/rules/decide.js'
import type { RuleOutcome } from '../domain/rules/ruleset.js'

const MAX_COMPILED = 2_000

export class RuleRuntime {
  private readonly compiled = new Map<string, Promise<MerchantVersion | null>>()
  private pending = new Map<string, RuleCountDelta>()

  constructor (private readonly db: Kysely<DB>) {}

  /** The version compiled, or null when the merchant has no such version. */
  async find (merchantId: string, version: number): Promise<MerchantVersion | null> {
    const key = `${merchantId}/${version}`
    const cached = this.compiled.get(key)
    if (cached !== undefined) return cached
    const loading = this.load(merchantId, version)
    this.compiled.set(key, loading)
    try {
      const found = await loading
      if (found === null) this.compiled.delete(key)
      else if (this.compiled.size > MAX_COMPILED) this.compiled.delete(this.compiled.keys().next().value as string)
      return found
    } catch (err) {
      this.compiled.delete(key)
      throw err
    }
  }

  /** The version compiled; throws when it does not exist (callers name versions they just read). */
  async version (merchantId: string, version: number): Promise<MerchantVersion> {
    const found = await this.find(merchantId, version)
    if (found === null) throw new Error(`ruleset version ${version} of merchant ${merchantId} not found`)
    return found
  }

  private async load (merchantId: string, version: number): Promise<MerchantVersion | null> {
    const body = await findRulesetBody(this.db, merchantId, version)
    if (body === undefined) return null
    const result = compileRuleset(body)
    // Stored bodies were compiled when drafted; one that no longer compiles is a defect, said loudly.
    if (!result.ok) throw new Error(`stored ruleset version ${version} of merchant ${merchantId} does not compile: ${result.errors.map((e) => e.reason).join('; ')}`)
    return { version, compiled: result.ruleset }
  }

  count (merchantId: string, version: number, role: 'live' | 'shadow', outcomes: readonly RuleOutcome[]): void {
    for (const o of outcomes) {
      const key = `${merchantId}/${version}/${role}/${o.id}`
      let d = this.pending.get(key)
      if (d === undefined) {
        d = { merchantId, version, ruleId: o.id, role, evaluated: 0, matched: 0, errors: 0, lastError: null }
        this.pending.set(key, d)
      }
      d.evaluated++
      if (o.outcome === 'matched') d.matched++
      if (o.outcome === 'error') { d.errors++; d.lastError = o.error ?? 'error' }
    }
  }

  /** Writes the sums so far; on failure they are kept and written with the next ones. */
  async flush (): Promise<void> {
    if (this.pending.size === 0) return
    const batch = this.pending
    this.pending = new Map()
    try {
      await addRuleCounts(this.db, [...batch.values()])
    } catch (err) {
      for (const [key, d] of batch) {
        const now = this.pending.get(key)
        if (now === undefined) this.pending.set(key, d)
        else { now.evaluated += d.evaluated; now.matched += d.matched; now.errors += d.errors; now.lastError ??= d.lastError }
      }
      throw err
    }
  }
}
