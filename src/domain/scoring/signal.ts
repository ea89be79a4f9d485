// A built-in signal declared in one place: its reason code, weight and floor, when it runs, and
// the judgement itself. signals/index.ts lists them; the reason codes, the ruleset's weights and
// floors and the lists of signals each payment method or a shipment runs are derived from it.
import type { ScoringContext } from './evidence.js'

export type Message = { ja: string; en: string }
/** What a signal says when it fires: why, in both languages, and the request fields it concerns as paths (shipTo.address, buyer.email …). */
export type Judgement = { message: Message; fields: string[] }

export type Signal<C extends string = string, X = ScoringContext> = {
  /** Part of the API contract: merchants build rules on it, so it never changes meaning once shipped. */
  readonly code: C
  readonly weight: number
  /** The least level an order gets when the signal fires, whatever the other weights sum to. */
  readonly floor?: 'elevated' | 'high'
  /**
   * Judged again at shipping time (出荷時照合). 'destination': about the ship-to only, so once
   * the check has run authorization's finding says nothing. 'recheck': the final ship-to may
   * bring it, but authorization's finding stands unless found again.
   */
  readonly shipment?: 'destination' | 'recheck'
  /** Runs for cash on delivery (代金引換): the shop is paid at the door, so only the blocklist does. */
  readonly cod?: boolean
  /** Pure and deterministic: null when the signal does not fire. */
  readonly judge: (ctx: X) => Judgement | null
}

/** Declares a signal; `const` keeps its code a literal, so ReasonCode is the union of the codes. */
export function signal<const C extends string, X = ScoringContext>(d: Signal<C, X>): Signal<C, X> {
  return d
}

/** A signal that fired, with the weight of the live ruleset. */
export type Fired<C extends string = string> = { code: C; weight: number; message: Message; fields: string[] }

export function fire<C extends string, X>(s: Signal<C, X>, ctx: X): Fired<C> | null {
  const j = s.judge(ctx)
  return j === null ? null : { code: s.code, weight: s.weight, message: j.message, fields: j.fields }
}
