// The ship-to's texts a place-type signal reads, each with its request path: the raw address
// parts, the part after the block as the normalizer split it, and the ship-to name (宛名).
import type { SignalContext } from '../order.js'
import { findTerm, type Terms } from './place-vocabulary.js'

export type ShipToText = {
  path: string
  text: string
  /** Building, room, name or what follows the block: where weak words count. */
  tail: boolean
}

/** Ship-to texts, the buyer's when shipTo is absent (the order then ships to the buyer). */
export function shipToTexts(ctx: SignalContext): ShipToText[] {
  const { order } = ctx
  const to = order.shipTo
  const prefix = to !== undefined ? 'shipTo' : 'buyer'
  const address = to !== undefined ? to.address : order.buyer.address
  const name = to !== undefined ? to.name : order.buyer.name
  const out: ShipToText[] = []
  const add = (path: string, text: string | null | undefined, tail: boolean) => {
    if (text !== undefined && text !== null && text.trim() !== '') out.push({ path, text, tail })
  }
  add(`${prefix}.address.building`, address.building, true)
  add(`${prefix}.address.room`, address.room, true)
  add(`${prefix}.name`, name, true)
  add(`${prefix}.address.block`, address.block, false)
  add(`${prefix}.address.town`, address.town, false)
  add(`${prefix}.address.line`, address.line, false)
  // A line (or a block with the building typed into it) is read whole only for strong words;
  // its tail after the block, as the normalizer cut it, is read for weak ones too.
  const n = ctx.shipToAddress
  if (n !== null && (address.line !== undefined || address.building === undefined)) {
    const path = address.line !== undefined ? `${prefix}.address.line` : `${prefix}.address.block`
    // A room given in its own field is read there already, under its own path.
    const room = address.line === undefined && address.room !== undefined ? null : n.room
    add(path, [n.building, room].filter((p) => p !== null).join(' '), true)
  }
  if (n === null && address.line !== undefined) add(`${prefix}.address.line`, address.line, true)
  return out
}

/** The paths holding one of the terms (strong anywhere, weak only in a tail), in order, once each. */
export function pathsWithTerms(texts: readonly ShipToText[], terms: Terms): string[] {
  const paths: string[] = []
  for (const t of texts) {
    const hit = findTerm(t.text, terms.strong) ?? (t.tail ? findTerm(t.text, terms.weak) : null)
    if (hit !== null && !paths.includes(t.path)) paths.push(t.path)
  }
  return paths
}
