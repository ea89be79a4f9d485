// Background work of this instance: the address-match batch worker, the backtest worker, the
// webhook worker and the retention purge, started when the app is ready and stopped when it closes. SHINSA_RUN_JOBS=false
// leaves the work to other instances.
import fp from 'fastify-plugin'
import type { Dispatcher } from 'undici'
import { startBatchWorker, type BatchWorker } from '../jobs/address-match-batches.js'
import { startBacktestWorker, type BacktestWorker } from '../jobs/backtests.js'
import { webhookDispatcher } from '../jobs/webhook-dispatcher.js'
import { startWebhookWorker, type WebhookWorker } from '../jobs/webhook-deliveries.js'
import { startRetentionPurge, type PurgeWorker } from '../jobs/retention-purge.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when this instance runs no jobs. */
    batchWorker: BatchWorker | null
    backtestWorker: BacktestWorker | null
    webhookWorker: WebhookWorker | null
    retentionPurge: PurgeWorker | null
  }
}

export default fp(async (app, opts: { pollMs?: number; batchPageSize?: number; backtestPageSize?: number; webhookDispatcher?: Dispatcher }) => {
  app.decorate('batchWorker', null)
  app.decorate('backtestWorker', null)
  app.decorate('webhookWorker', null)
  app.decorate('retentionPurge', null)
  if (!app.config.runJobs) return
  const dispatcher = opts.webhookDispatcher ?? webhookDispatcher({ allowLoopback: app.config.allowLoopbackWebhooks })
  app.addHook('onReady', async () => {
    app.batchWorker = startBatchWorker(app.db, app.log.child({ job: 'address-match-batches' }), { pollMs: opts.pollMs, pageSize: opts.batchPageSize })
    app.backtestWorker = startBacktestWorker(app.db, app.log.child({ job: 'backtests' }), { pollMs: opts.pollMs, pageSize: opts.backtestPageSize })
    app.webhookWorker = startWebhookWorker(app.db, app.log.child({ job: 'webhooks' }), { dispatcher, pollMs: opts.pollMs })
    app.retentionPurge = startRetentionPurge(app.db, app.log.child({ job: 'retention-purge' }))
  })
  // preClose runs before any onClose hook, so the database is still open to hand the work back.
  app.addHook('preClose', async () => {
    await Promise.all([app.batchWorker?.stop(), app.backtestWorker?.stop(), app.webhookWorker?.stop(), app.retentionPurge?.stop()])
  })
  app.addHook('onClose', async () => {
    if (opts.webhookDispatcher === undefined) await dispatcher.close()
  })
}, { name: 'jobs', dependencies: ['db'] })
