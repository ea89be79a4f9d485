// POST /v1/shipments/check — shipping time (出荷時): the final ship-to against the card issuers'
// fraud-address store, the place types, the blocklist and the fraud history; combined with the
// authorization-time answer when the order was scored, saying what changed. Every check is kept.
// The same body for the same order again within SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS is a
// retry: it answers the stored check (idempotent-replayed: true) and enqueues nothing. A call
// with an Idempotency-Key is told apart by its key instead (the idempotency plugin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { OrderInput, SignalContext } from '../../domain/scoring/order.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { ShipmentRequest, ShipmentSchema } from '../../schemas/shipment.js'
import { checkShipment } from '../../decisions/check-shipment.js'
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
    const body = request.body
    // With an Idempotency-Key the key says what a retry is; without one, the body within the window.
    const windowMs = request.idempotency === null ? app.config.shipmentReplayWindowSeconds * 1000 : 0
    const { answer, replayed } = await checkShipment(app.decisions, merchantOf(request), {
      ctx: shipmentContext(body),
      carrier: body.carrier ?? null,
      trackingNumber: body.trackingNumber ?? null,
      hash: requestHash(body),
      replaySince: windowMs > 0 ? new Date(Date.now() - windowMs) : null,
    })
    if (replayed) reply.header(REPLAYED_HEADER, 'true')
    return answer
  })
}

export default plugin
