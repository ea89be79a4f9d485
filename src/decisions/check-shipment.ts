// Checking the final ship-to before shipping (出荷時照合): the destination judged again, the
// authorization-time signals that stand, the merchant's live rules, one decision; every check
// kept. The same body again within the replay window is a retry and answers the stored check.
import { randomUUID } from 'node:crypto'
import { findDestinationRows, findMerchantDecisionRow } from '../db/evidence.js'
import { findOrder } from '../db/orders.js'
import { recordShipmentCheck } from '../db/shipment-checks.js'
import type { OrderIdentities } from '../db/types.js'
import { endpointsForFanoutQuery } from '../db/webhook-endpoints.js'
import { dictionaryVersions } from '../domain/scoring/dictionaries.js'
import { NO_EVIDENCE } from '../domain/scoring/evidence.js'
import type { FiredSignal } from '../domain/scoring/features.js'
import { destinationEvidence, lookupsOf } from '../domain/scoring/gather.js'
import { identifiers, shipToKey } from '../domain/scoring/identities.js'
import type { SignalContext } from '../domain/scoring/order.js'
import { CURRENT_BUILTIN } from '../domain/scoring/ruleset.js'
import { shipmentChanges, shipmentFeatures, shipmentReasons, shipmentSignals, type Change } from '../domain/scoring/shipment.js'
import { fanout } from '../domain/webhooks/fanout.js'
import { AppError } from '../errors.js'
import type { ScoreAnswer } from '../schemas/order.js'
import type { ShipmentAnswer } from '../schemas/shipment.js'
import type { DecisionDeps } from './deps.js'
import { decideLive } from './evaluate.js'

export type ShipmentInput = {
  ctx: SignalContext
  carrier: string | null
  trackingNumber: string | null
  hash: Buffer
  /** Checks of this body since then are retries (null: the Idempotency-Key decides instead). */
  replaySince: Date | null
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

export async function checkShipment (deps: DecisionDeps, merchantId: string, input: ShipmentInput): Promise<{ answer: ShipmentAnswer; replayed: boolean }> {
  const { ctx } = input
  const [merchant, stored, endpoints] = await Promise.all([
    findMerchantDecisionRow(deps.db, merchantId), findOrder(deps.db, merchantId, ctx.order.orderId), endpointsForFanoutQuery(deps.db, merchantId).execute(),
  ])
  if (merchant === undefined) throw new AppError('NOT_FOUND', `No merchant ${merchantId}`)
  const lookups = lookupsOf(ctx, identifiers(ctx), stored?.payment_method ?? 'other')
  const destination = destinationEvidence(ctx, lookups, await findDestinationRows(deps.db, merchantId, lookups, { trigramIndex: deps.trigramIndex }))
  const now = shipmentReasons({ ...ctx, evidence: { ...NO_EVIDENCE, ...destination } }, stored?.payment_method ?? null)
  const auth = stored === undefined ? null : stored.response as ScoreAnswer
  // Orders scored before features were stored: their answer's built-in reasons are what stood.
  const before: FiredSignal[] | null = stored === undefined ? null
    : stored.features?.signals ?? (auth?.reasons ?? []).filter((r): r is FiredSignal & typeof r => r.code !== 'MERCHANT_RULE')
  const checkedAt = new Date()
  const features = shipmentFeatures(stored?.features ?? null, ctx, checkedAt, destination, shipmentSignals(now, before))
  const { decision } = await decideLive(deps, merchantId, merchant, features, { shadow: false })
  const answer: ShipmentAnswer = {
    id: randomUUID(),
    orderId: ctx.order.orderId,
    score: decision.score,
    level: decision.level,
    recommendation: decision.recommendation,
    reasons: decision.reasons,
    addressMatch: destination.fraudAddress,
    authorization: auth === null ? null : {
      score: auth.score, level: auth.level, recommendation: auth.recommendation, evaluatedAt: auth.evaluatedAt, rulesetVersion: auth.rulesetVersion,
    },
    changes: shipmentChanges(before, decision.reasons, stored === undefined ? [] : moved(ctx, stored)),
    rulesetVersion: CURRENT_BUILTIN.version,
    versions: { ruleset: CURRENT_BUILTIN.version, dictionaries: dictionaryVersions(), merchantRuleset: decision.trace.ruleset },
    decidedBy: decision.trace.decidedBy,
    checkedAt: checkedAt.toISOString(),
  }
  const replayed = await recordShipmentCheck(deps.db, {
    merchant_id: merchantId, id: answer.id, order_id: ctx.order.orderId, carrier: input.carrier, tracking_number: input.trackingNumber,
    score: decision.score, level: decision.level, recommendation: decision.recommendation, response: answer, created_at: checkedAt,
    request_hash: input.hash,
  }, fanout(endpoints, { type: 'shipment.checked', data: answer }), input.replaySince)
  return replayed === null ? { answer, replayed: false } : { answer: replayed.replayed as ShipmentAnswer, replayed: true }
}
