// GET /v1/backtests/{id} — a backtest's status, progress while it runs, and its report once done.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { getBacktest } from '../../decisions/backtests.js'
import { BacktestSchema } from '../../schemas/backtest.js'
import { Uuid } from '../../schemas/common.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { merchantKey } from '../../schemas/security.js'
import { merchantOf } from './merchant-params.js'

const plugin: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/backtests/:id', {
    config: { scope: 'rules:read' },
    schema: {
      operationId: 'getBacktest',
      summary: 'Read a backtest: status, progress and the report',
      description: 'queued → running (progress.done of progress.total orders walked, saved after every page) → done with ' +
        '`result`, or failed with `error`. Another merchant\'s backtest is 404.',
      tags: ['rules'],
      security: merchantKey('rules:read'),
      params: Type.Object({ id: Uuid('Backtest id') }, { additionalProperties: false }),
      response: { 200: Type.Ref(BacktestSchema, { description: 'The backtest' }), ...problemResponses(400, 404, ...AUTHED) },
    },
  }, async (request) => getBacktest(app.decisions, merchantOf(request), request.params.id))
}

export default plugin
