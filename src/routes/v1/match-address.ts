// POST /v1/address-matches — one 不正住所照合: the address against the card issuers' store,
// answering full / partial / none with per-field judgments; recorded for audit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { findMatchCandidates } from '../../db/fraud-addresses.js'
import { recordAddressMatch } from '../../db/address-matches.js'
import { matchAddress } from '../../domain/address/match.js'
import type { NormalizedAddress } from '../../domain/address/normalize.js'
import { judgeBuilding } from '../../domain/address/building.js'
import { AddressMatchRequest, AddressMatchSchema } from '../../schemas/address-match.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { normalizeApiAddress } from './address-input.js'
import { merchantOf } from './merchant-params.js'

/** The address as read for the answer: the reading that matched (1-2-3-202 read as 1-2-3 room 202), else as written. */
function readingShown (query: NormalizedAddress, matchedKey: string | undefined) {
  const reading = matchedKey === undefined ? undefined : query.readings.find((r) => r.matchKey === matchedKey && r.kind !== 'primary')
  return {
    prefecture: query.prefecture,
    city: query.city,
    town: query.town,
    block: reading === undefined ? query.block : reading.matchKey.slice(reading.matchKey.lastIndexOf('#') + 1),
    room: reading === undefined ? query.room : reading.roomKey,
  }
}

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/address-matches', {
    config: { scope: 'addresses:match' },
    schema: {
      operationId: 'matchAddress',
      summary: 'Match one address against the fraud-address store (不正住所照合)',
      description: 'Building names never count (seed 001). A store row registered only up to 号 matches fully ' +
        'whatever room is given; when the block carries one number more than a row (1-2-3-101 against 1-2-3) ' +
        'the extra number is read as the room.',
      tags: ['address-matching'],
      security: merchantKey('addresses:match'),
      body: AddressMatchRequest,
      response: { 200: Type.Ref(AddressMatchSchema, { description: 'The result' }), ...problemResponses(400, 413, 415, 422, ...AUTHED) },
    },
  }, async (request) => {
    const merchantId = merchantOf(request)
    const query = normalizeApiAddress(request.body.address, 'body.address')
    const found = matchAddress(query, await findMatchCandidates(app.db, query))
    const building = judgeBuilding(query.building, found.matched)
    const audit = await recordAddressMatch(app.db, {
      merchant_id: merchantId, order_id: request.body.orderId, result: found.result, count: found.count,
    })
    return {
      id: audit.id,
      orderId: request.body.orderId,
      result: found.result,
      count: found.count,
      fields: { ...found.fields, building },
      records: found.matched.map((r) => ({ issuer: r.issuer, reportedOn: r.reported_on })),
      normalized: readingShown(query, found.matched[0]?.matchKey),
      matchedAt: audit.created_at.toISOString(),
    }
  })
}

export default plugin
