// POST /v1/shipments/check — shipping time (出荷時): the final ship-to against the card issuers'
// fraud-address store, the place types, the blocklist and the fraud history; combined with the
// authorization-time answer when the order was scored, saying what changed. Every check is kept.
// The same body for the same order again within SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS is a
// retry: it answers the stored check (idempotent-replayed: true) and enqueues nothing. A call
// with an Idempotency-Key is told apart by its key instead (the idempotency plugin).
import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { blocklistOf, fraudAddressOf, historyOf } from '../../db/evidence.js'
import { findMerchant } from '../../db/merchants.js'
import { findOrder } from '../../db/orders.js'
import { recordShipmentCheck } from '../../db/shipment-checks.js'
import { endpointsForFanoutQuery } from '../../db/webhook-endpoints.js'
import { fanout } from '../../domain/webhooks/fanout.js'
import { NO_EVIDENCE } from '../../domain/scoring/evidence.js'
import { identifiers, shipToKey } from '../../domain/scoring/identities.js'
import type { OrderInput, SignalContext } from '../../domain/scoring/order.js'
import { dictionaryVersions } from '../../domain/scoring/dictionaries.js'
import { RULESET } from '../../domain/scoring/ruleset.js'
import { combineShipment, shipmentReasons, type Change } from '../../domain/scoring/shipment.js'
import type { ScoreAnswer } from '../../schemas/order.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { ShipmentRequest, ShipmentSchema, type ShipmentAnswer } from '../../schemas/shipment.js'
import type { OrderIdentities } from '../../db/types.js'
import { refuseCardNumbers } from './card-number-guard.js'
import { merchantOf } from './merchant-params.js'
import { readAddress, requestHash } from './order-context.js'
import { REPLAYED_HEADER } from '../../schemas/idempotency.js'

/** At shipping time only the ship-to is known: the buyer's fields stay empty and yield nothing. */
function shipmentContext (body: { orderId: string; shipTo: NonNullable<OrderInput['shipTo']> }): SignalContext {
  const order: OrderInput = {
    orderId: body.orderId, amount: 0, paymentMethod: 'other',
    buyer: { name: '', email: '', address: body.shipTo.address },
    shipTo: body.shipTo,
  }
  return { order, buyerAddress: null, shipToAddress: readAddress(body.shipTo.address, 'body.shipTo.address') }
}

/** The authorization-time ship-to's name or phone: its own, else the buyer's (it shipped to the buyer). */
function authValue (ids: OrderIdentities, kind: 'name' | 'phone'): string | undefined {
  return (ids.find((i) => i.kind === kind && i.field.startsWith('shipTo.')) ?? ids.find((i) => i.kind === kind && i.field.startsWith('buyer.')))?.value
}

function moved (ctx: SignalContext, stored: { ship_to_key: string; identities: OrderIdentities }): Change[] {
  const changes: Change[] = []
  if (shipToKey(ctx) !== stored.ship_to_key) changes.push({ type: 'address_changed', field: 'shipTo.address' })
  const now = identifiers(ctx)
  for (const kind of ['name', 'phone'] as const) {
    const value = now.find((i) => i.kind === kind)?.value
    if (value !== undefined && value !== authValue(stored.identities, kind)) changes.push({ type: `${kind}_changed`, field: `shipTo.${kind}` })
  }
  return changes
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/shipments/check', {
    config: { scope: 'shipments:check' },
    preValidation: refuseCardNumbers,
    schema: {
      operationId: 'checkShipment',
      summary: 'Check the final ship-to before shipping (出荷時照合)',
      description: 'Works for an order never scored too (authorization is then null and changes empty). ' +
        'Reasons about the destination are judged again; the other authorization-time reasons stand, weighed under ' +
        'today\'s ruleset (versions.ruleset; authorization.rulesetVersion names the one the order was scored with). ' +
        'Without an Idempotency-Key, the same body for the same order again within the replay window (10 min by ' +
        'default) is a retry: it answers the stored check with `idempotent-replayed: true` and sends no second ' +
        'webhook; after the window, or with a new Idempotency-Key, the order is checked afresh.',
      tags: ['scoring'],
      security: merchantKey('shipments:check'),
      body: ShipmentRequest,
      response: { 200: Type.Ref(ShipmentSchema, { description: 'The combined answer' }), ...problemResponses(400, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const merchantId = merchantOf(request)
    const body = request.body
    const ctx = shipmentContext(body)
    const [merchant, stored, endpoints] = await Promise.all([
      findMerchant(app.db, merchantId), findOrder(app.db, merchantId, body.orderId), endpointsForFanoutQuery(app.db, merchantId).execute(),
    ])
    if (merchant === undefined) throw new AppError('NOT_FOUND', `No merchant ${merchantId}`)
    const cod = stored?.payment_method === 'cod'
    const [fraudAddress, blocklist, history] = await Promise.all([
      cod ? NO_EVIDENCE.fraudAddress : fraudAddressOf(app.db, ctx),
      blocklistOf(app.db, merchantId, ctx),
      cod ? [] : historyOf(app.db, merchantId, ctx, identifiers(ctx), app.dbKind === 'postgres'),
    ])
    const now = shipmentReasons({ ...ctx, evidence: { ...NO_EVIDENCE, fraudAddress, blocklist, history } }, stored?.payment_method ?? null)
    const auth = stored === undefined ? null : stored.response as ScoreAnswer
    const result = combineShipment(now, auth?.reasons ?? null, stored === undefined ? [] : moved(ctx, stored),
      { elevated: merchant.level_elevated_at, high: merchant.level_high_at })
    const checkedAt = new Date()
    const answer: ShipmentAnswer = {
      id: randomUUID(),
      orderId: body.orderId,
      score: result.score,
      level: result.level,
      recommendation: result.recommendation,
      reasons: result.reasons,
      addressMatch: fraudAddress,
      authorization: auth === null ? null : {
        score: auth.score, level: auth.level, recommendation: auth.recommendation, evaluatedAt: auth.evaluatedAt, rulesetVersion: auth.rulesetVersion,
      },
      changes: result.changes,
      rulesetVersion: RULESET.version,
      versions: { ruleset: RULESET.version, dictionaries: dictionaryVersions() },
      checkedAt: checkedAt.toISOString(),
    }
    // With an Idempotency-Key the key says what a retry is; without one, the body within the window.
    const windowMs = request.idempotency === null ? app.config.shipmentReplayWindowSeconds * 1000 : 0
    const replayed = await recordShipmentCheck(app.db, {
      merchant_id: merchantId, id: answer.id, order_id: body.orderId, carrier: body.carrier ?? null, tracking_number: body.trackingNumber ?? null,
      score: result.score, level: result.level, recommendation: result.recommendation, response: answer, created_at: checkedAt,
      request_hash: requestHash(body),
    }, fanout(endpoints, { type: 'shipment.checked', data: answer }), windowMs > 0 ? new Date(checkedAt.getTime() - windowMs) : null)
    if (replayed !== null) return reply.header(REPLAYED_HEADER, 'true').send(replayed.replayed as ShipmentAnswer)
    return answer
  })
}

export default plugin
