// What a webhook delivery carries, and which events an endpoint wants. The envelope's keys are
// built in a fixed order so the same event always serializes — and signs — the same way.
import type { Level } from '../scoring/score.js'

export type EventType = 'order.scored' | 'shipment.checked' | 'batch.completed' | 'test'

/** One event. `type` is a string on the wire: receivers must ignore types they do not know. */
export type EventEnvelope = { id: string; type: string; created: string; merchantId: string; data: unknown }
export type DigestEnvelope = { id: string; type: 'digest'; created: string; merchantId: string; events: EventEnvelope[] }

export function eventEnvelope(e: { id: string; type: string; created: Date; merchantId: string; data: unknown }): EventEnvelope {
  return { id: e.id, type: e.type, created: e.created.toISOString(), merchantId: e.merchantId, data: e.data }
}

/** A digest: its own id (the delivery's), the time it was assembled, and its events oldest first as given. */
export function digestEnvelope(d: { id: string; created: Date; merchantId: string; events: readonly EventEnvelope[] }): DigestEnvelope {
  return { id: d.id, type: 'digest', created: d.created.toISOString(), merchantId: d.merchantId, events: [...d.events] }
}

/** Most events one digest delivery carries; the rest of its hour go in the next delivery, so no payload is unbounded. */
export const MAX_DIGEST_EVENTS = 500

const RANK: Record<Level, number> = { low: 0, elevated: 1, high: 2 }

/**
 * Whether an endpoint gets an event. Scored orders at or above its minimum level (seed 000 mails
 * 10+, i.e. elevated); checked shipments that should not simply ship — review or hold, the
 * answers a warehouse must act on; batch completions and test events always. The mode decides
 * when, not whether: a digest endpoint wants the same events, an hour later.
 */
export function eventQualifies(
  endpoint: { minLevel: 'elevated' | 'high'; mode: 'immediate' | 'digest' },
  event: { type: EventType; data: unknown },
): boolean {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>
  switch (event.type) {
    case 'order.scored': {
      const rank = typeof data.level === 'string' && Object.hasOwn(RANK, data.level) ? RANK[data.level as Level] : -1
      return rank >= RANK[endpoint.minLevel]
    }
    case 'shipment.checked':
      // Missing or unknown recommendation: sent — an extra alert beats a lost hold.
      return data.recommendation !== 'proceed'
    case 'batch.completed':
    case 'test':
      return true
    default:
      return false
  }
}
