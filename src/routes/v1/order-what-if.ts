// POST /v1/orders/{orderId}/what-if — the order decided again from its stored features under one
// of the merchant's versions or an unsaved ruleset, and how that differs from what was decided.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { whatIf } from '../../decisions/orders.js'
import { OrderId } from '../../schemas/address-match.js'
import { WhatIfRequest, WhatIfSchema } from '../../schemas/decision.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { refuseCardNumbers } from './card-number-guard.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/orders/:orderId/what-if', {
    config: { scope: 'rules:read' },
    preValidation: refuseCardNumbers,
    schema: {
      operationId: 'orderWhatIf',
      summary: 'Decide a stored order again under another ruleset version or an unsaved ruleset',
      description: 'Nothing is stored. The stored features are decided under today\'s built-in table, the thresholds the order ' +
        'was decided with (unless the ruleset sets its own) and `{ version }` (one of the merchant\'s, draft or published) or ' +
        '`{ ruleset }` (checked like a draft: 422 RULESET_INVALID naming the rule, position and reason). The answer gives the ' +
        'decision with its trace, the stored outcome and the difference. 409 for an order scored before decisions were recorded.',
      tags: ['decisions'],
      security: merchantKey('rules:read'),
      params: Type.Object({ orderId: OrderId }, { additionalProperties: false }),
      body: WhatIfRequest,
      response: { 200: Type.Ref(WhatIfSchema, { description: 'The decision under the ruleset, beside the stored one' }), ...problemResponses(400, 404, 409, 413, 415, 422, ...AUTHED) },
    },
  }, async (request) => whatIf(app.decisions, merchantOf(request), request.params.orderId, request.body))
}

export default plugin
