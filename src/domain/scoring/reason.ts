// A reason: why an order scored what it did. Codes are part of the API contract:
// merchants build rules on them, so a code never changes meaning once shipped.
import { RULESET } from './ruleset.js'

export const REASON_CODES = [
  'FRAUD_ADDRESS_FULL', 'FRAUD_ADDRESS_PARTIAL', 'FRAUD_HISTORY_MATCH', 'FRAUD_HISTORY_SIMILAR',
  'BLOCKLIST_HIT', 'FORWARDING_ADDRESS', 'PICKUP_OR_HOLD_ADDRESS', 'CARE_OF_ADDRESS', 'SHORT_STAY_ADDRESS',
  'EMAIL_FREE_DOMAIN', 'EMAIL_DISPOSABLE', 'EMAIL_INVALID', 'PHONE_INVALID', 'PHONE_REGION_MISMATCH',
  'POSTAL_CODE_MISMATCH', 'NAME_ROMAJI', 'KANA_MISMATCH', 'SHIP_TO_DIFFERS', 'CARD_OVERSEAS',
  'AMOUNT_UNUSUAL', 'RESALE_PRONE_ITEMS', 'VELOCITY_SHIP_TO', 'VELOCITY_BUYER', 'THREE_DS_AUTHENTICATED',
] as const

export type ReasonCode = (typeof REASON_CODES)[number]

export type Reason = {
  code: ReasonCode
  weight: number
  message: { ja: string; en: string }
  /** The request fields the reason concerns, as paths: shipTo.address, buyer.email … */
  fields: string[]
}

/** A reason with the ruleset's weight for its code: signals state only what fired and why. */
export function reason (code: ReasonCode, message: Reason['message'], fields: string[]): Reason {
  return { code, weight: RULESET.weights[code], message, fields }
}
