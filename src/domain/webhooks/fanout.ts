// Which of a merchant's endpoints an event goes to, and when: at once, or in the digest of the
// hour that carries it (seed 000's hourly mail between 7:00 and 22:00, for machines).
import { checkWindow, digestSlot } from './digest-window.js'
import { eventQualifies } from './payload.js'

export type EventType = 'order.scored' | 'shipment.checked' | 'batch.completed' | 'test'

export type Fanout = {
  type: EventType
  data: unknown
  /** Endpoints that get the event now. */
  immediate: string[]
  /** Endpoints that get it in a digest, with the time that digest goes out. */
  digest: Array<{ endpointId: string; slot: Date }>
}

export type FanoutEndpoint = { id: string; min_level: 'elevated' | 'high'; mode: 'immediate' | 'digest'; window_start: string; window_end: string }

// An event this close to a digest's sending time joins the next one: the worker may already
// have sent the digest of this hour.
const DIGEST_MARGIN_MS = 5000

export function fanout (endpoints: readonly FanoutEndpoint[], event: { type: EventType; data: unknown }, now: Date): Fanout | null {
  const out: Fanout = { ...event, immediate: [], digest: [] }
  for (const e of endpoints) {
    if (!eventQualifies({ minLevel: e.min_level, mode: e.mode }, event as Parameters<typeof eventQualifies>[1])) continue
    if (e.mode === 'immediate') {
      out.immediate.push(e.id)
      continue
    }
    const window = checkWindow({ start: e.window_start, end: e.window_end })
    if (window === null) continue
    out.digest.push({ endpointId: e.id, slot: digestSlot(new Date(now.getTime() + DIGEST_MARGIN_MS), window) })
  }
  return out.immediate.length + out.digest.length === 0 ? null : out
}
