// POST /v1/rulesets/{version}/shadow — run a version beside the live one on every order: its
// outcome is stored and counted, never answered.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { shadowRuleset } from '../../decisions/rulesets.js'
import { RulesetSchema } from '../../schemas/ruleset.js'
import { merchantKey } from '../../schemas/security.js'
import { actorOf, rulesetProblems, rulesetView, VersionParams } from './ruleset-view.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/rulesets/:version/shadow', {
    config: { scope: 'rules:publish' },
    schema: {
      operationId: 'shadowRuleset',
      summary: 'Make a version the shadow',
      description: 'A draft or a published version, not the live one (409), replacing any shadow there was. ' +
        'Publishing the shadow version later clears the shadow. Appends a `shadow` publication.',
      tags: ['rules'],
      security: merchantKey('rules:publish'),
      params: VersionParams,
      response: {
        200: Type.Ref(RulesetSchema, { description: 'The version, now the shadow' }),
        ...rulesetProblems('/v1/rulesets/3/shadow', [400, 404, 409, 413, 415, 422], { 404: ['notFound'], 409: ['liveAsShadow'] }),
      },
    },
  }, async (request) => {
    const actor = actorOf(request)
    const row = await shadowRuleset(app.db, actor, request.params.version)
    return rulesetView(app.db, actor.merchantId, row.version, row)
  })
}

export default plugin
