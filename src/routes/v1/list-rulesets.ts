// GET /v1/rulesets — the merchant's versions, newest first, with which is live and which shadow.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { findRulesetHead, listPublications, listRulesets } from '../../db/rulesets.js'
import { problemResponses, AUTHED } from '../../schemas/problem.js'
import { RulesetPage, toRulesetSummary } from '../../schemas/ruleset.js'
import { merchantKey } from '../../schemas/security.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/rulesets', {
    config: { scope: 'rules:read' },
    schema: {
      operationId: 'listRulesets',
      summary: 'List ruleset versions',
      description: 'Newest first, without their bodies (GET /v1/rulesets/{version} has the body and the per-rule counts). ' +
        'Each version carries its publication history: when it went live, became the shadow, or stopped being the shadow, and with which key.',
      tags: ['rules'],
      security: merchantKey('rules:read'),
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' })),
        after: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The nextCursor of the previous page (versions below it follow)' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(RulesetPage, { description: 'A page of versions' }), ...problemResponses(400, ...AUTHED) },
    },
  }, async (request) => {
    const merchantId = merchantOf(request)
    const { limit = 50, after } = request.query
    const rows = await listRulesets(app.db, merchantId, { limit: limit + 1, before: after })
    const page = rows.slice(0, limit)
    const head = (await findRulesetHead(app.db, merchantId))!
    const history = await listPublications(app.db, merchantId, page.map((r) => r.version))
    return {
      items: page.map((r) => toRulesetSummary(r, head, history)),
      nextCursor: rows.length > limit ? String(page.at(-1)!.version) : null,
      live: head.live,
      shadow: head.shadow,
    }
  })
}

export default plugin
