// A merchant's ruleset versions, the way Marble publishes scenario iterations: a version is
// drafted once and never edited, publishing or shadowing validates it again (the CEL vocabulary
// may have moved since the draft), and every change of the live or shadow version appends a
// publication rather than editing one. Each write runs under the merchant row's lock.
import type { Kysely } from 'kysely'
import { AppError } from '../errors.js'
import type { DB } from '../db/types.js'
import {
  appendPublication, findRuleset, insertRuleset, lockRulesetHead, markPublished, setRulesetHead,
  type RulesetHead, type RulesetRow,
} from '../db/rulesets.js'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import { compileOrRefuse } from './ruleset-problem.js'

/** Who acts: the merchant, and the API key (recorded as created_by, published_by, key_id). */
export type Actor = { merchantId: string; keyId: string }

/**
 * Refuses a body that does not compile, naming each failing rule, where and why: in the request
 * (body.rules[i].when) when drafting, in the stored version (rules[i].when) when publishing it.
 */
export function validateRuleset (body: RulesetBody, version?: number): void {
  compileOrRefuse(body, version === undefined ? 'body' : '', version === undefined ? 'The ruleset' : `Version ${version}`)
}

async function locked<T> (db: Kysely<DB>, actor: Actor, version: number, work: (trx: Kysely<DB>, head: RulesetHead, row: RulesetRow) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const head = await lockRulesetHead(trx, actor.merchantId)
    const row = head === undefined ? undefined : await findRuleset(trx, actor.merchantId, version)
    if (head === undefined || row === undefined) throw new AppError('NOT_FOUND', `No ruleset version ${version}`)
    return work(trx, head, row)
  })
}

/** A new draft, numbered after the merchant's last version. */
export async function draftRuleset (db: Kysely<DB>, actor: Actor, body: RulesetBody): Promise<RulesetRow> {
  validateRuleset(body)
  return db.transaction().execute(async (trx) => {
    if (await lockRulesetHead(trx, actor.merchantId) === undefined) throw new Error(`merchant ${actor.merchantId} vanished`)
    return insertRuleset(trx, actor.merchantId, body, actor.keyId)
  })
}

/**
 * Makes a version live: a draft, or a version published before (a rollback). When the merchant
 * asks for two keys (maker-checker), the key that drafted the version cannot publish it.
 */
export async function publishRuleset (db: Kysely<DB>, actor: Actor, version: number): Promise<RulesetRow> {
  return locked(db, actor, version, async (trx, head, row) => {
    if (head.live === version) throw new AppError('CONFLICT', `Version ${version} is already live`)
    if (head.requiresSecondKey && row.created_by === actor.keyId) {
      throw new AppError('FORBIDDEN', `This merchant requires a second key to publish: version ${version} was drafted with this API key; ` +
        'publish it with another key holding rules:publish')
    }
    validateRuleset(row.body, version)
    if (head.shadow === version) {
      await appendPublication(trx, actor.merchantId, 'shadow_cleared', null, actor.keyId)
      await setRulesetHead(trx, actor.merchantId, { live_ruleset_version: version, shadow_ruleset_version: null })
    } else {
      await setRulesetHead(trx, actor.merchantId, { live_ruleset_version: version })
    }
    await appendPublication(trx, actor.merchantId, 'live', version, actor.keyId)
    return markPublished(trx, actor.merchantId, version, actor.keyId)
  })
}

/** Runs a version beside the live one on every order, deciding nothing (its outcome is stored). */
export async function shadowRuleset (db: Kysely<DB>, actor: Actor, version: number): Promise<RulesetRow> {
  return locked(db, actor, version, async (trx, head, row) => {
    if (head.live === version) throw new AppError('CONFLICT', `Version ${version} is live; the shadow runs beside the live version, so it must be another`)
    if (head.shadow === version) throw new AppError('CONFLICT', `Version ${version} is already the shadow`)
    validateRuleset(row.body, version)
    await setRulesetHead(trx, actor.merchantId, { shadow_ruleset_version: version })
    await appendPublication(trx, actor.merchantId, 'shadow', version, actor.keyId)
    return row
  })
}

/** Stops the shadow version. */
export async function clearShadow (db: Kysely<DB>, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const head = await lockRulesetHead(trx, actor.merchantId)
    if (head?.shadow == null) throw new AppError('NOT_FOUND', 'No shadow version is set')
    await setRulesetHead(trx, actor.merchantId, { shadow_ruleset_version: null })
    await appendPublication(trx, actor.merchantId, 'shadow_cleared', null, actor.keyId)
  })
}
