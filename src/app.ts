// buildApp(config): infrastructure plugins first, then routes, each registered explicitly in
// the auth context it belongs to.
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { PGlite } from '@electric-sql/pglite'
import type { Dispatcher } from 'undici'
import { pino, type DestinationStream } from 'pino'
import type { Config } from './config.js'
import { validatorCompiler } from './validation.js'
import { findCardNumber } from './domain/scoring/pan.js'
import { refuseCardNumbersAnywhere, refuseUnstorableText } from './text-guard.js'
import { loggerOptions } from './logging.js'
import db from './plugins/db.js'
import problem, { frameworkErrors } from './plugins/problem.js'
import auth, { guard } from './plugins/auth.js'
import idempotency from './plugins/idempotency.js'
import decisions from './plugins/decisions.js'
import swagger from './plugins/swagger.js'
import health from './plugins/health.js'
import protection from './plugins/protection.js'
import requestTimeouts from './plugins/request-timeouts.js'
import { FieldErrorSchema, ProblemSchema } from './schemas/problem.js'
import { sharedSchemas } from './schemas/index.js'
import createMerchant from './routes/v1/create-merchant.js'
import listMerchants from './routes/v1/list-merchants.js'
import getMerchant from './routes/v1/get-merchant.js'
import updateMerchant from './routes/v1/update-merchant.js'
import createPersonalDataErasure from './routes/v1/create-personal-data-erasure.js'
import createApiKey from './routes/v1/create-api-key.js'
import listApiKeys from './routes/v1/list-api-keys.js'
import revokeApiKey from './routes/v1/revoke-api-key.js'
import importFraudAddresses from './routes/v1/import-fraud-addresses.js'
import getFraudAddressImport from './routes/v1/get-fraud-address-import.js'
import listFraudAddresses from './routes/v1/list-fraud-addresses.js'
import deleteFraudAddress from './routes/v1/delete-fraud-address.js'
import matchAddress from './routes/v1/match-address.js'
import createAddressMatchBatch from './routes/v1/create-address-match-batch.js'
import getAddressMatchBatch from './routes/v1/get-address-match-batch.js'
import getAddressMatchBatchResults from './routes/v1/get-address-match-batch-results.js'
import scoreOrder from './routes/v1/score-order.js'
import getOrder from './routes/v1/get-order.js'
import orderWhatIf from './routes/v1/order-what-if.js'
import createBacktest from './routes/v1/create-backtest.js'
import getBacktest from './routes/v1/get-backtest.js'
import checkShipment from './routes/v1/check-shipment.js'
import recordFeedback from './routes/v1/record-feedback.js'
import createBlocklistEntry from './routes/v1/create-blocklist-entry.js'
import listBlocklist from './routes/v1/list-blocklist.js'
import getBlocklistEntry from './routes/v1/get-blocklist-entry.js'
import deleteBlocklistEntry from './routes/v1/delete-blocklist-entry.js'
import createWebhook from './routes/v1/create-webhook.js'
import listWebhooks from './routes/v1/list-webhooks.js'
import getWebhook from './routes/v1/get-webhook.js'
import updateWebhook from './routes/v1/update-webhook.js'
import deleteWebhook from './routes/v1/delete-webhook.js'
import rotateWebhookSecret from './routes/v1/rotate-webhook-secret.js'
import testWebhook from './routes/v1/test-webhook.js'
import listWebhookDeliveries from './routes/v1/list-webhook-deliveries.js'
import redeliverWebhook from './routes/v1/redeliver-webhook.js'
import createRuleset from './routes/v1/create-ruleset.js'
import listRulesets from './routes/v1/list-rulesets.js'
import getRuleset from './routes/v1/get-ruleset.js'
import shadowRuleset from './routes/v1/shadow-ruleset.js'
import publishRuleset from './routes/v1/publish-ruleset.js'
import clearRulesetShadow from './routes/v1/clear-ruleset-shadow.js'
import jobs from './plugins/jobs.js'

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

export type AppOptions = {
  /** An open PGlite to use instead of opening SHINSA_DATA_DIR (tests load a migrated template). */
  pglite?: PGlite
  /** Where logs go (default stdout); tests capture them to check redaction. */
  logStream?: DestinationStream
  /** Where webhooks go out (tests inject a MockAgent); default: the guarded undici Agent. */
  webhookDispatcher?: Dispatcher
  /** Background workers' pacing (tests make them quick); defaults suit production. */
  jobs?: { pollMs?: number; batchPageSize?: number; backtestPageSize?: number }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/
const JSON_BODY_LIMIT = 256 * 1024
// Past our own limits by more than Node's 30 s check interval, so ours always answers first.
const NODE_BACKSTOP_MS = 60_000

export async function buildApp (config: Config, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: pino(loggerOptions(config.logLevel), opts.logStream ?? pino.destination({ sync: false })) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // A caller's x-request-id is kept when it is a sane token, so traces join up across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      // Never keep one that holds a card number: the id is logged and echoed.
      return typeof given === 'string' && REQUEST_ID.test(given) && !findCardNumber(given) ? given : randomUUID()
    },
    bodyLimit: JSON_BODY_LIMIT,
    // Node's requestTimeout is one for the whole server, checked every 30 s: it is set past the
    // longest upload, a backstop; each request is timed by its route in plugins/request-timeouts.ts.
    requestTimeout: Math.max(config.requestTimeoutMs, config.uploadTimeoutSeconds * 1000) + NODE_BACKSTOP_MS,
    // Migrating or loading an embedded database on a slow disk can take longer than Fastify's 10 s.
    pluginTimeout: 120_000,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors,
    // request.ip is the socket's peer unless proxies are named: X-Forwarded-For is anyone's to forge.
    trustProxy: config.trustProxy === false ? false : [...config.trustProxy],
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompiler([FieldErrorSchema, ProblemSchema, ...sharedSchemas]))
  app.decorate('config', config)

  app.addHook('onRequest', async (request, reply) => { reply.header('x-request-id', request.id) })
  app.addHook('preValidation', refuseUnstorableText)
  app.addHook('preValidation', refuseCardNumbersAnywhere)
  // One line per request: who, which route, what status, how long. Never bodies or headers.
  app.addHook('onResponse', async (request, reply) => {
    const p = request.principal
    request.log.info({
      method: request.method,
      route: request.routeOptions.url ?? '(unmatched)',
      status: reply.statusCode,
      latencyMs: Math.round(reply.elapsedTime * 100) / 100,
      merchantId: p?.kind === 'merchant' ? p.merchantId : undefined,
      operator: p?.kind === 'operator' ? true : undefined,
    }, 'request')
  })

  await app.register(problem)
  await app.register(requestTimeouts, {
    requestTimeoutMs: config.requestTimeoutMs,
    uploadTimeoutMs: config.uploadTimeoutSeconds * 1000,
    uploadIdleMs: config.uploadIdleSeconds * 1000,
  })
  await app.register(db, { config, pglite: opts.pglite })
  await app.register(protection)
  await app.register(auth)
  await app.register(idempotency)
  await app.register(decisions)
  await app.register(jobs, { ...opts.jobs, webhookDispatcher: opts.webhookDispatcher })
  app.addSchema(FieldErrorSchema)
  app.addSchema(ProblemSchema)
  for (const schema of sharedSchemas) app.addSchema(schema)
  await app.register(swagger)
  await app.register(health, { timeoutMs: config.dbTimeoutMs })

  await app.register(async (operator) => {
    guard(operator, 'operator')
    await operator.register(createMerchant)
    await operator.register(listMerchants)
    await operator.register(updateMerchant)
    await operator.register(createApiKey)
    await operator.register(listApiKeys)
    await operator.register(revokeApiKey)
    await operator.register(importFraudAddresses)
    await operator.register(getFraudAddressImport)
    await operator.register(listFraudAddresses)
    await operator.register(deleteFraudAddress)
  })
  await app.register(async (merchant) => {
    guard(merchant, 'merchant')
    await merchant.register(matchAddress)
    await merchant.register(createAddressMatchBatch)
    await merchant.register(getAddressMatchBatch)
    await merchant.register(getAddressMatchBatchResults)
    await merchant.register(scoreOrder)
    await merchant.register(checkShipment)
    await merchant.register(recordFeedback)
    await merchant.register(getOrder)
    await merchant.register(orderWhatIf)
    await merchant.register(createBacktest)
    await merchant.register(getBacktest)
    await merchant.register(createBlocklistEntry)
    await merchant.register(listBlocklist)
    await merchant.register(getBlocklistEntry)
    await merchant.register(deleteBlocklistEntry)
    await merchant.register(createWebhook)
    await merchant.register(listWebhooks)
    await merchant.register(getWebhook)
    await merchant.register(updateWebhook)
    await merchant.register(deleteWebhook)
    await merchant.register(rotateWebhookSecret)
    await merchant.register(testWebhook)
    await merchant.register(listWebhookDeliveries)
    await merchant.register(redeliverWebhook)
    await merchant.register(createPersonalDataErasure)
    // Shadow before publish: the document (and the walks over it) then shadow a draft before publishing it.
    await merchant.register(createRuleset)
    await merchant.register(listRulesets)
    await merchant.register(getRuleset)
    await merchant.register(shadowRuleset)
    await merchant.register(publishRuleset)
    await merchant.register(clearRulesetShadow)
  })
  await app.register(async (either) => {
    guard(either, 'any')
    await either.register(getMerchant)
  })

  return app
}
