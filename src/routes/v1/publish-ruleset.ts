// POST /v1/rulesets/{version}/publish — make a version live (rolling back is publishing an older
// one); maker-checker when the merchant asks for a second key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { publishRuleset } from '../../decisions/rulesets.js'
import { RulesetSchema } from '../../schemas/ruleset.js'
import { merchantKey } from '../../schemas/security.js'
import { actorOf, rulesetProblems, rulesetView, VersionParams } from './ruleset-view.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/rulesets/:version/publish', {
    config: { scope: 'rules:publish' },
    schema: {
      operationId: 'publishRuleset',
      summary: 'Publish a version (or roll back to one)',
      description: 'From the next order on, this version decides with the built-in rules. A draft, or a version published before ' +
        '(a rollback); the live one is 409. Its first publisher and time are kept. When it is the shadow, the shadow is cleared. ' +
        'Appends a `live` publication. When the merchant\'s settings.rules.publishRequiresSecondKey is on (二者承認, maker-checker), ' +
        'the API key that drafted the version cannot publish it (403): another key holding rules:publish must.',
      tags: ['rules'],
      security: merchantKey('rules:publish'),
      params: VersionParams,
      response: {
        200: Type.Ref(RulesetSchema, { description: 'The version, now live' }),
        ...rulesetProblems('/v1/rulesets/3/publish', [400, 404, 409, 413, 415, 422], { 403: ['makerChecker'], 404: ['notFound'], 409: ['alreadyLive'] }),
      },
    },
  }, async (request) => {
    const actor = actorOf(request)
    const row = await publishRuleset(app.db, actor, request.params.version)
    return rulesetView(app.db, actor.merchantId, row.version, row)
  })
}

export default plugin
