import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults on an empty environment: embedded database in ./data on port 3000', async (t) => {
  const c = loadConfig({})
  t.same(c, {
    port: 3000, host: '0.0.0.0', databaseUrl: undefined, dataDir: './data', adminToken: undefined, logLevel: 'info',
    allowLoopbackWebhooks: false, migrateOnStart: true, dbPoolMax: 10, dbTimeoutMs: 5000, shutdownGraceMs: 10000,
    importMaxBytes: 1024 ** 3, batchMaxRows: 10_000, runJobs: true, authCacheMs: 5000,
    rateLimitPerMinute: 120_000, maxEventLoopDelayMs: 1000, maxDbWaiting: 50, requestTimeoutMs: 120_000,
    uploadTimeoutSeconds: 3600, uploadIdleSeconds: 60,
    statementTimeoutMs: 30_000, corsOrigins: [],
    unauthRateLimitPerMinute: 120, failedAuthDelayMs: 1000, authMissCacheMs: 30_000, trustProxy: false,
    retentionMaxDays: 1825, shipmentReplayWindowSeconds: 600,
  })
  t.ok(Object.isFrozen(c))
})

t.test('values are read and typed', async (t) => {
  const c = loadConfig({
    PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgresql://u:p@db:5432/shinsa', SHINSA_DATA_DIR: 'memory://',
    SHINSA_ADMIN_TOKEN: 'x'.repeat(32), LOG_LEVEL: 'warn', SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true',
    SHINSA_MIGRATE_ON_START: 'false', SHINSA_DB_POOL_MAX: '4', SHINSA_DB_TIMEOUT_MS: '1500', SHINSA_SHUTDOWN_GRACE_MS: '0',
  })
  t.match(c, {
    port: 8080, host: '127.0.0.1', databaseUrl: 'postgresql://u:p@db:5432/shinsa', dataDir: 'memory://', logLevel: 'warn',
    allowLoopbackWebhooks: true, migrateOnStart: false, dbPoolMax: 4, dbTimeoutMs: 1500, shutdownGraceMs: 0,
  })
})

t.test('upload limits: read as seconds, refused outside their range with the variable named', async (t) => {
  t.match(loadConfig({ SHINSA_UPLOAD_TIMEOUT_SECONDS: '7200', SHINSA_UPLOAD_IDLE_SECONDS: '5' }), { uploadTimeoutSeconds: 7200, uploadIdleSeconds: 5 })
  t.throws(() => loadConfig({ SHINSA_UPLOAD_IDLE_SECONDS: '0' }), new ConfigError('Invalid configuration: SHINSA_UPLOAD_IDLE_SECONDS must be seconds from 1 to 3600 (an upload that sends nothing for this long is cut) (got "0")'))
  t.throws(() => loadConfig({ SHINSA_UPLOAD_TIMEOUT_SECONDS: '1h' }), { message: /^Invalid configuration: SHINSA_UPLOAD_TIMEOUT_SECONDS must be seconds from 1 to 86400/ })
})

t.test('SHINSA_TRUST_PROXY: addresses and ranges of the proxies, nothing else', async (t) => {
  t.same(loadConfig({ SHINSA_TRUST_PROXY: '10.0.0.0/8,192.0.2.1,::1,fd00::/8,loopback' }).trustProxy, ['10.0.0.0/8', '192.0.2.1', '::1', 'fd00::/8', 'loopback'])
  for (const value of ['true', '1', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2']) {
    t.throws(() => loadConfig({ SHINSA_TRUST_PROXY: value }), /^Invalid configuration: SHINSA_TRUST_PROXY must be a comma-separated list of proxy addresses/, value)
  }
})

t.test('an empty variable counts as unset', async (t) => {
  t.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).port, 3000)
  t.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, undefined)
})

const bad: Array<[Record<string, string>, RegExp]> = [
  [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer port from 0 to 65535 \(got "abc"\)$/],
  [{ PORT: '70000' }, /^Invalid configuration: PORT must be .* \(got "70000"\)$/],
  [{ PORT: '-1' }, /PORT/],
  [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)$/],
  [{ SHINSA_MIGRATE_ON_START: 'yes' }, /^Invalid configuration: SHINSA_MIGRATE_ON_START must be true or false \(got "yes"\)$/],
  [{ SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'maybe' }, /SHINSA_ALLOW_LOOPBACK_WEBHOOKS must be true or false/],
  [{ SHINSA_RATE_LIMIT_PER_MINUTE: '-5' }, /^Invalid configuration: SHINSA_RATE_LIMIT_PER_MINUTE must be an integer from 0 to 10000000/],
  [{ SHINSA_CORS_ORIGINS: '*' }, /^Invalid configuration: SHINSA_CORS_ORIGINS must be a comma-separated list of http\(s\) origins/],
  [{ SHINSA_STATEMENT_TIMEOUT_MS: 'soon' }, /SHINSA_STATEMENT_TIMEOUT_MS must be milliseconds/],
  [{ DATABASE_URL: 'mysql://root@db/x' }, /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ connection URL/],
  [{ DATABASE_URL: 'postgres://[bad' }, /DATABASE_URL/],
  [{ SHINSA_ADMIN_TOKEN: 'short' }, /^Invalid configuration: SHINSA_ADMIN_TOKEN must be an operator token of at least 16 characters, no spaces$/],
  [{ SHINSA_DB_POOL_MAX: '0' }, /SHINSA_DB_POOL_MAX must be an integer from 1 to 200/],
  [{ SHINSA_DB_TIMEOUT_MS: '5s' }, /SHINSA_DB_TIMEOUT_MS/],
  [{ SHINSA_SHUTDOWN_GRACE_MS: '1.5' }, /SHINSA_SHUTDOWN_GRACE_MS/],
  [{ SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS: '86401' }, /^Invalid configuration: SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS must be seconds from 0 to 86400 .* \(got "86401"\)$/],
  [{ SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS: '10m' }, /SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS/],
]

for (const [env, message] of bad) {
  t.test(`refuses ${JSON.stringify(env)} with one line naming the variable`, async (t) => {
    t.throws(() => loadConfig(env), ConfigError)
    try {
      loadConfig(env)
    } catch (err) {
      t.match((err as Error).message, message)
      t.notMatch((err as Error).message, /\n/, 'one line')
    }
  })
}

t.test('secrets are never echoed in the message', async (t) => {
  for (const env of [{ SHINSA_ADMIN_TOKEN: 'has space secret-value' }, { DATABASE_URL: 'mysql://user:hunter2@db/x' }]) {
    try {
      loadConfig(env)
      t.fail('should throw')
    } catch (err) {
      t.notMatch((err as Error).message, /secret-value|hunter2/)
    }
  }
})
