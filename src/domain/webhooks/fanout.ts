// Which of a merchant's endpoints an event goes to, and how: at once, or in a digest. Which
// hour's digest is decided by the database when the event is written (its clock, in the same
// statement that attaches the event), never here: a time read in the process goes stale before
// the statement commits.
import { checkWindow } from './digest-window.js'
import { eventQualifies } from './payload.js'

export type EventType = 'order.scored' | 'shipment.checked' | 'batch.completed' | 'test'

export type Fanout = {
  type: EventType
  data: unknown
  /** Endpoints that get the event now. */
  immediate: string[]
  /** Endpoints that get it in their next hourly digest. */
  digest: string[]
}

export type FanoutEndpoint = { id: string; min_level: 'elevated' | 'high'; mode: 'immediate' | 'digest'; window_start: string; window_end: string }

export function fanout (endpoints: readonly FanoutEndpoint[], event: { type: EventType; data: unknown }): Fanout | null {
  const out: Fanout = { ...event, immediate: [], digest: [] }
  // In id order: a statement locks the digests it joins in this order, so two never deadlock.
  for (const e of [...endpoints].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!eventQualifies({ minLevel: e.min_level, mode: e.mode }, event as Parameters<typeof eventQualifies>[1])) continue
    if (e.mode === 'immediate') out.immediate.push(e.id)
    else if (checkWindow({ start: e.window_start, end: e.window_end }) !== null) out.digest.push(e.id)
  }
  return out.immediate.length + out.digest.length === 0 ? null : out
}
