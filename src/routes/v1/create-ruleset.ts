// POST /v1/rulesets — a new draft version of the merchant's rules, refused whole when a rule
// does not compile (each failing rule named, with where and why).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { draftRuleset } from '../../decisions/rulesets.js'
import { RulesetBodySchema, RulesetSchema } from '../../schemas/ruleset.js'
import { merchantKey } from '../../schemas/security.js'
import { VOCABULARY } from '../../domain/rules/cel.js'
import { actorOf, rulesetProblems, rulesetView } from './ruleset-view.js'

/** The CEL vocabulary, as the checker declares it. */
const VOCABULARY_TABLE = 'The vocabulary (optional: test with has()):\n\n| path | type | |\n|---|---|---|\n' +
  VOCABULARY.map((v) => `| \`${v.name}\` | ${v.type.replaceAll('|', '\\|')}${v.optional ? ' (optional)' : ''} | ${v.description.replaceAll('|', '\\|')} |`).join('\n')

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/rulesets', {
    config: { scope: 'rules:draft' },
    schema: {
      operationId: 'createRuleset',
      summary: 'Draft a ruleset version',
      description: 'Saves the rules as the merchant\'s next version (1, 2, 3 …), a draft: it decides nothing until published ' +
        '(POST /v1/rulesets/{version}/publish) and can run as the shadow first. A version is never edited: draft a new one. ' +
        'Every `when` is compiled against the decision vocabulary now; a rule that does not compile is 422 RULESET_INVALID ' +
        'with one entry per failing rule (`path` body.rules[i].when, `message` "<rule id>: <reason> (at position N)").\n\n' +
        'Precedence: a matched rule that sets hold beats one that sets proceed, which beats one that sets review; add rules ' +
        'move the score; the floors hold against any score, and only set: proceed (or review, never lowering a hold) ' +
        'overrides them. A rule that errors on an order (a missing value) counts as not matched.\n\n' + VOCABULARY_TABLE,
      tags: ['rules'],
      security: merchantKey('rules:draft'),
      body: Type.Ref(RulesetBodySchema),
      response: {
        201: {
          description: 'The draft version',
          headers: { location: { type: 'string', description: 'The version\'s URL: /v1/rulesets/{version}' } },
          content: { 'application/json': { schema: Type.Ref(RulesetSchema) } },
        },
        ...rulesetProblems('/v1/rulesets', [400, 413, 415, 422], { 400: ['badRuleId'], 422: ['ruleInvalid', 'unknownField'] }),
      },
    },
  }, async (request, reply) => {
    const actor = actorOf(request)
    const row = await draftRuleset(app.db, actor, request.body)
    return reply.code(201).header('location', `/v1/rulesets/${row.version}`).send(await rulesetView(app.db, actor.merchantId, row.version, row))
  })
}

export default plugin
