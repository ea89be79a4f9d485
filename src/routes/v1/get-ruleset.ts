// GET /v1/rulesets/{version} — one version: its body, who drafted and published it, its
// history, and what each rule has done live and as the shadow.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { RulesetSchema } from '../../schemas/ruleset.js'
import { merchantKey } from '../../schemas/security.js'
import { merchantOf } from './merchant-params.js'
import { rulesetProblems, rulesetView, VersionParams } from './ruleset-view.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/rulesets/:version', {
    config: { scope: 'rules:read' },
    schema: {
      operationId: 'getRuleset',
      summary: 'Read a ruleset version',
      description: 'Per-rule counts are orders evaluated, matched and failed while the version was live and while it was the shadow; ' +
        'they are added in batches, so a busy rule\'s counts trail by a few seconds.',
      tags: ['rules'],
      security: merchantKey('rules:read'),
      params: VersionParams,
      response: { 200: Type.Ref(RulesetSchema, { description: 'The version' }), ...rulesetProblems('/v1/rulesets/7', [400, 404], { 404: ['notFound'] }) },
    },
  }, async (request) => rulesetView(app.db, merchantOf(request), request.params.version))
}

export default plugin
