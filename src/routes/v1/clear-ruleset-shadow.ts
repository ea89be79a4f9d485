// DELETE /v1/rulesets/shadow — stop running a shadow version.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { clearShadow } from '../../decisions/rulesets.js'
import { merchantKey } from '../../schemas/security.js'
import { actorOf, rulesetProblems } from './ruleset-view.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.delete('/v1/rulesets/shadow', {
    config: { scope: 'rules:publish' },
    schema: {
      operationId: 'clearRulesetShadow',
      summary: 'Stop the shadow version',
      description: 'The version stays as it was (draft or published); only its shadow run stops. Appends a `shadow_cleared` publication.',
      tags: ['rules'],
      security: merchantKey('rules:publish'),
      response: { 204: Type.Null({ description: 'No shadow version any more' }), ...rulesetProblems('/v1/rulesets/shadow', [400, 404, 413, 415], { 404: ['noShadow'] }) },
    },
  }, async (request, reply) => {
    await clearShadow(app.db, actorOf(request))
    return reply.code(204).send(null)
  })
}

export default plugin
