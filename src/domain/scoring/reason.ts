// A reason: why an order scored what it did. Codes are part of the API contract: merchants
// build rules on them, so a code never changes meaning once shipped. Each is declared by its
// signal (signals/*.ts) and listed once, in signals/index.ts.
import type { Fired } from './signal.js'
import { SIGNALS } from './signals/index.js'

export type ReasonCode = (typeof SIGNALS)[number]['code']

export const REASON_CODES: readonly ReasonCode[] = Object.freeze(SIGNALS.map((s) => s.code))

export type Reason = Fired<ReasonCode>
