// Webhook shapes: endpoints (the secret shown once), and the delivery log with its attempts.
import { Type } from '@sinclair/typebox'
import type { EndpointRow } from '../db/webhook-endpoints.js'
import type { DeliveryLogRow } from '../db/webhook-deliveries.js'
import { DateTime, StringEnum, Uuid } from './common.js'

const HOUR = Type.String({ pattern: '^([01][0-9]|2[0-3]):00$', description: 'A whole hour, Asia/Tokyo, HH:00' })
export const DigestWindowSchema = Type.Object({
  start: HOUR,
  end: HOUR,
}, { $id: 'DigestWindow', additionalProperties: false, description: 'Digest sending hours, Asia/Tokyo, both ends included (default 07:00–22:00)' })

const MinLevel = StringEnum(['elevated', 'high'], { description: 'order.scored is sent from this level up' })
const Mode = StringEnum(['immediate', 'digest'], { description: 'immediate: each event at once; digest: one delivery an hour inside the window' })
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'https; plain http only to loopback when SHINSA_ALLOW_LOOPBACK_WEBHOOKS=true' })

export const WebhookCreateRequest = Type.Object({
  url: Url,
  minLevel: MinLevel,
  mode: Mode,
  window: Type.Optional(Type.Ref(DigestWindowSchema)),
}, { additionalProperties: false })

export const WebhookUpdateRequest = Type.Object({
  url: Type.Optional(Url),
  minLevel: Type.Optional(MinLevel),
  mode: Type.Optional(Mode),
  window: Type.Optional(Type.Ref(DigestWindowSchema)),
}, { additionalProperties: false, minProperties: 1 })

const endpointFields = {
  id: Uuid('Endpoint id'),
  url: Type.String(),
  minLevel: MinLevel,
  mode: Mode,
  window: Type.Ref(DigestWindowSchema),
  createdAt: DateTime('When it was created'),
  updatedAt: DateTime('When it last changed'),
}

export const WebhookSchema = Type.Object(endpointFields, { $id: 'Webhook', additionalProperties: false })
export const WebhookWithSecret = Type.Object({
  ...endpointFields,
  secret: Type.String({ description: 'Signs every delivery (Shinsa-Signature); shown only now' }),
}, { $id: 'WebhookWithSecret', additionalProperties: false })
export const WebhookList = Type.Object({ items: Type.Array(Type.Ref(WebhookSchema)) }, { $id: 'WebhookList', additionalProperties: false })

export const AttemptSchema = Type.Object({
  attempt: Type.Integer({ minimum: 1 }),
  startedAt: DateTime('When the attempt started'),
  latencyMs: Type.Integer({ minimum: 0 }),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status answered; null when none came' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Timeout, refused connection …' }),
}, { $id: 'WebhookAttempt', additionalProperties: false })

export const DeliverySchema = Type.Object({
  id: Uuid('Delivery id (a digest\'s payload id)'),
  eventId: Type.Union([Type.String(), Type.Null()], { description: 'The event (payload id) of an immediate delivery; null for a digest' }),
  digestSlot: Type.Union([DateTime('The hour a digest is sent'), Type.Null()]),
  status: StringEnum(['pending', 'delivered', 'failed']),
  attempts: Type.Array(Type.Ref(AttemptSchema)),
  nextAttemptAt: Type.Union([DateTime('When it is tried next'), Type.Null()]),
  deliveredAt: Type.Union([DateTime('When it was delivered'), Type.Null()]),
  createdAt: DateTime('When it was queued'),
}, { $id: 'WebhookDelivery', additionalProperties: false })

export const DeliveryPage = Type.Object({
  items: Type.Array(Type.Ref(DeliverySchema)),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page; null on the last page' }),
}, { $id: 'WebhookDeliveryPage', additionalProperties: false })

export function toWebhook (e: EndpointRow) {
  return {
    id: e.id, url: e.url, minLevel: e.min_level, mode: e.mode, window: { start: e.window_start, end: e.window_end },
    createdAt: e.created_at.toISOString(), updatedAt: e.updated_at.toISOString(),
  }
}

export function toDelivery (d: DeliveryLogRow) {
  return {
    id: d.id,
    eventId: d.event_id,
    digestSlot: d.digest_slot?.toISOString() ?? null,
    status: d.status,
    attempts: d.attempt_log.map((a) => ({ attempt: a.attempt, startedAt: new Date(a.started_at).toISOString(), latencyMs: a.latency_ms, status: a.status, error: a.error })),
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    createdAt: d.created_at.toISOString(),
  }
}
