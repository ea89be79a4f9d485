// What the decision use cases run on: the database, which kind it is, and the rule runtime.
import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import type { RuleRuntime } from './rule-runtime.js'

export type DecisionDeps = {
  db: Kysely<DB>
  /** PGlite cannot use the trigram index inside the scoring statement (db/fraud-history.ts). */
  trigramIndex: boolean
  rules: RuleRuntime
}
