// The weights, floors and windows of every signal, in one versioned table: an answer names the
// ruleset version it was scored with. Each signal declares its own (signals/*.ts); the table is
// derived from the registry. Floors (seeds 000/002): a blocklist hit or a full fraud-address
// match (完全一致) is high whatever else fires; a partial match (部分一致), a forwarding,
// pick-up/hold or care-of address is at least elevated — 3-D Secure or any other negative
// weight never pulls them below. verdict() applies them after summing the weights.
import type { ReasonCode } from './reason.js'
import { AMOUNT_UNUSUAL } from './signals/amount-unusual.js'
import { HISTORY_SIMILARITY } from './signals/fraud-history.js'
import { SIGNALS } from './signals/index.js'
import { VELOCITY_WINDOWS } from './signals/velocity.js'

type Floors = Readonly<Partial<Record<ReasonCode, 'elevated' | 'high'>>>

const weights: Readonly<Record<ReasonCode, number>> =
  Object.freeze(Object.fromEntries(SIGNALS.map((s) => [s.code, s.weight])) as Record<ReasonCode, number>)
const floors: Floors =
  Object.freeze(Object.fromEntries(SIGNALS.flatMap((s) => (s.floor !== undefined ? [[s.code, s.floor]] : []))))

export const RULESET = {
  /** A new weight, floor or signal is a new version (and the table before it frozen in BUILTIN_TABLES). */
  version: '2026-12-07.1',
  weights,
  /** The least level an order gets when the reason fires, whatever the other weights sum to. */
  floors,
  windows: VELOCITY_WINDOWS,
  amount: AMOUNT_UNUSUAL,
  history: HISTORY_SIMILARITY,
} as const

/**
 * A built-in table as a decision reads it: which version, each reason's weight, the floors. A
 * table older than a signal has no weight for it; no decision under that table ever fired it.
 */
export type BuiltinTable = {
  version: string
  weights: Readonly<Partial<Record<ReasonCode, number>>>
  floors: Floors
}

/** The table of the ruleset as it is now. */
export const CURRENT_BUILTIN: BuiltinTable & { weights: Readonly<Record<ReasonCode, number>> } =
  Object.freeze({ version: RULESET.version, weights: RULESET.weights, floors: RULESET.floors })

/**
 * Every built-in table an answer was ever given under, by version: a stored decision replays
 * under its own. The current one is the registry's; each older one stays here as a frozen
 * literal copy, never a view of the registry, so editing a signal cannot rewrite the past.
 * test/domain/scoring/builtin-tables.test.ts pins them all.
 */
export const BUILTIN_TABLES: Readonly<Record<string, BuiltinTable>> = Object.freeze({
  [CURRENT_BUILTIN.version]: CURRENT_BUILTIN,
})
