// Background work of this instance: the address-match batch worker, started when the app is
// ready and stopped (its batch handed back) when it closes. SHINSA_RUN_JOBS=false leaves the
// work to other instances.
import fp from 'fastify-plugin'
import { startBatchWorker, type BatchWorker } from '../jobs/address-match-batches.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when this instance runs no jobs. */
    batchWorker: BatchWorker | null
  }
}

export default fp(async (app, opts: { pollMs?: number }) => {
  app.decorate('batchWorker', null)
  if (!app.config.runJobs) return
  app.addHook('onReady', async () => {
    app.batchWorker = startBatchWorker(app.db, app.log.child({ job: 'address-match-batches' }), { pollMs: opts.pollMs })
  })
  // preClose runs before any onClose hook, so the database is still open to hand the batch back.
  app.addHook('preClose', async () => { await app.batchWorker?.stop() })
}, { name: 'jobs', dependencies: ['db'] })
