// The weights, floors and windows of every signal, in one versioned table: an answer names the
// ruleset version it was scored with. Floors (seeds 000/002): a blocklist hit or a full
// fraud-address match (完全一致) is high whatever else fires; a partial match (部分一致), a
// forwarding, pick-up/hold or care-of address is at least elevated — 3-D Secure or any other
// negative weight never pulls them below. verdict() applies them after summing the weights.
import type { ReasonCode } from './reason.js'

export const RULESET = {
  version: '2026-12-07.1',
  weights: {
    FRAUD_ADDRESS_FULL: 60,
    FRAUD_ADDRESS_PARTIAL: 25,
    FRAUD_HISTORY_MATCH: 50,
    FRAUD_HISTORY_SIMILAR: 25,
    BLOCKLIST_HIT: 60,
    FORWARDING_ADDRESS: 30,
    PICKUP_OR_HOLD_ADDRESS: 20,
    CARE_OF_ADDRESS: 15,
    SHORT_STAY_ADDRESS: 15,
    EMAIL_FREE_DOMAIN: 3,
    EMAIL_DISPOSABLE: 20,
    EMAIL_INVALID: 15,
    PHONE_INVALID: 15,
    PHONE_REGION_MISMATCH: 8,
    POSTAL_CODE_MISMATCH: 10,
    NAME_ROMAJI: 5,
    KANA_MISMATCH: 10,
    SHIP_TO_DIFFERS: 5,
    CARD_OVERSEAS: 10,
    AMOUNT_UNUSUAL: 10,
    RESALE_PRONE_ITEMS: 8,
    VELOCITY_SHIP_TO: 30,
    VELOCITY_BUYER: 20,
    THREE_DS_AUTHENTICATED: -15,
  } satisfies Record<ReasonCode, number>,
  /** The least level an order gets when the reason fires, whatever the other weights sum to. */
  floors: {
    BLOCKLIST_HIT: 'high',
    FRAUD_ADDRESS_FULL: 'high',
    FRAUD_ADDRESS_PARTIAL: 'elevated',
    FORWARDING_ADDRESS: 'elevated',
    PICKUP_OR_HOLD_ADDRESS: 'elevated',
    CARE_OF_ADDRESS: 'elevated',
  } satisfies Partial<Record<ReasonCode, 'elevated' | 'high'>>,
  windows: {
    /** VELOCITY_SHIP_TO: from the third distinct buyer (by e-mail or name) to one ship-to … */
    velocityShipToBuyers: 3,
    /** … within this many hours. */
    velocityShipToHours: 24,
    /** VELOCITY_BUYER: this many high-value orders by one buyer … */
    velocityBuyerOrders: 3,
    velocityBuyerHours: 24,
    /** An order is high-value from this amount (JPY) and from the merchant's typical amount. */
    highValueMinAmount: 10_000,
  },
  amount: {
    /** AMOUNT_UNUSUAL judges nothing before the merchant has this many orders. */
    minOrders: 30,
    /** Standard deviations of ln(amount) above the mean … */
    sigmas: 3,
    /** … and at least this many times the typical (geometric mean) order. */
    minRatio: 5,
  },
  history: {
    /** pg_trgm similarity from which a name, kana or address resembles a past fraud order's. */
    nameSimilarity: 0.6,
    kanaSimilarity: 0.7,
    addressSimilarity: 0.7,
  },
} as const

/** A built-in table as a decision reads it: which version, each reason's weight, the floors. */
export type BuiltinTable = {
  version: string
  weights: Readonly<Record<ReasonCode, number>>
  floors: Readonly<Partial<Record<ReasonCode, 'elevated' | 'high'>>>
}

/**
 * Every built-in table an answer was ever given under, by version: a stored decision replays
 * under its own. A change of weights or floors is a new entry with a new version, never an edit.
 */
export const BUILTIN_TABLES: Readonly<Record<string, BuiltinTable>> = {
  [RULESET.version]: { version: RULESET.version, weights: RULESET.weights, floors: RULESET.floors },
}

export const CURRENT_BUILTIN: BuiltinTable = BUILTIN_TABLES[RULESET.version] as BuiltinTable
