// POST /v1/backtests — a version, an unsaved ruleset or the stored shadow outcomes measured over a
// period's orders against the merchant's labels; answered 202, walked by a worker in the background.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { createBacktest } from '../../decisions/backtests.js'
import { BacktestRequest, BacktestSchema, MAX_PERIOD_DAYS } from '../../schemas/backtest.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { refuseCardNumbers } from './card-number-guard.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/v1/backtests', {
    config: { scope: 'rules:draft' },
    preValidation: refuseCardNumbers,
    schema: {
      operationId: 'createBacktest',
      summary: 'Backtest a ruleset over a period\'s orders against the labels (feedback)',
      description: 'Orders placed in [from, to) (at most ' + MAX_PERIOD_DAYS + ' days) are decided again from their stored ' +
        'features under `{ version }` (one of the merchant\'s, draft or published; 404 when none), or `{ ruleset }` (an unsaved ' +
        'one, checked like a draft: 422 RULESET_INVALID), with today\'s built-in table and the thresholds each order was decided ' +
        'with unless the ruleset sets its own; `{ shadow: true }` evaluates nothing and compares the stored live outcomes with the ' +
        'stored shadow outcomes. The report, per side (decided, candidate): orders and 円 per recommendation; fraud caught ' +
        '(recall) and precision at hold and at review-or-hold; good orders and 円 stopped; and the orders whose recommendation ' +
        'changes. Labels are each order\'s latest feedback: chargeback and fraud_confirmed are fraud, legitimate is good. ' +
        'Answered 202; poll the Location for progress and the result.',
      tags: ['rules'],
      security: merchantKey('rules:draft'),
      body: BacktestRequest,
      response: { 202: Type.Ref(BacktestSchema, { description: 'Accepted: poll the backtest' }), ...problemResponses(400, 404, 413, 415, 422, ...AUTHED) },
    },
  }, async (request, reply) => {
    const p = request.principal
    const backtest = await createBacktest(app.decisions, merchantOf(request), p?.kind === 'merchant' ? p.keyId : null, request.body)
    app.backtestWorker?.kick()
    return reply.code(202).header('location', `/v1/backtests/${backtest.id}`).send(backtest)
  })
}

export default plugin
