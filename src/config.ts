// The environment, validated once into a frozen Config. A bad value stops start-up with one
// line that names the variable and says what it expects.
import { isIP } from 'node:net'
import envSchema from 'env-schema'
import { Type, type Static, type TSchema } from '@sinclair/typebox'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

// Each variable carries `description`: the sentence printed when its value is refused.
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'an integer port from 0 to 65535' }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'a host name or IP address to listen on' }),
  DATABASE_URL: Type.Optional(Type.String({
    pattern: '^postgres(ql)?://',
    description: 'a postgres:// or postgresql:// connection URL (unset: the embedded database)',
  })),
  SHINSA_DATA_DIR: Type.String({
    minLength: 1, default: './data', description: 'a directory for the embedded database, or memory://',
  }),
  SHINSA_ADMIN_TOKEN: Type.Optional(Type.String({
    minLength: 16, pattern: '^\\S+$', description: 'an operator token of at least 16 characters, no spaces',
  })),
  LOG_LEVEL: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)), {
    default: 'info', description: `one of ${LOG_LEVELS.join(', ')}`,
  }),
  SHINSA_ALLOW_LOOPBACK_WEBHOOKS: Type.Boolean({ default: false, description: 'true or false' }),
  SHINSA_MIGRATE_ON_START: Type.Boolean({ default: true, description: 'true or false' }),
  SHINSA_DB_POOL_MAX: Type.Integer({
    minimum: 1, maximum: 200, default: 10, description: 'an integer from 1 to 200 (PostgreSQL pool size)',
  }),
  SHINSA_DB_TIMEOUT_MS: Type.Integer({
    minimum: 100, maximum: 600000, default: 5000,
    description: 'milliseconds from 100 to 600000 (database connect and readiness timeout)',
  }),
  SHINSA_IMPORT_MAX_BYTES: Type.Integer({
    minimum: 1024, maximum: 64 * 1024 ** 3, default: 1024 ** 3,
    description: 'bytes from 1024 to 68719476736 (largest fraud-address CSV upload)',
  }),
  SHINSA_BATCH_MAX_ROWS: Type.Integer({
    minimum: 1, maximum: 1_000_000, default: 10_000, description: 'an integer from 1 to 1000000 (rows in one address-match batch)',
  }),
  SHINSA_RUN_JOBS: Type.Boolean({ default: true, description: 'true or false (run background workers in this process)' }),
  SHINSA_AUTH_CACHE_MS: Type.Integer({
    minimum: 0, maximum: 60_000, default: 5000,
    description: 'milliseconds from 0 to 60000 (how long an API key is cached; 0: never)',
  }),
  SHINSA_RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 0, maximum: 10_000_000, default: 120_000,
    description: 'an integer from 0 to 10000000 (requests a minute per API key on each instance; 0: no limit)',
  }),
  SHINSA_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    minimum: 0, maximum: 60_000, default: 1000,
    description: 'milliseconds from 0 to 60000 (event-loop delay from which requests are shed with 503; 0: never)',
  }),
  SHINSA_MAX_DB_WAITING: Type.Integer({
    minimum: 0, maximum: 100_000, default: 50,
    description: 'an integer from 0 to 100000 (queries waiting for a database connection from which requests are shed with 503; 0: never)',
  }),
  SHINSA_REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 1000, maximum: 3_600_000, default: 120_000,
    description: 'milliseconds from 1000 to 3600000 (longest a request other than an upload may take to arrive)',
  }),
  SHINSA_UPLOAD_TIMEOUT_SECONDS: Type.Integer({
    minimum: 1, maximum: 86_400, default: 3600,
    description: 'seconds from 1 to 86400 (longest a CSV import or batch upload may take to arrive)',
  }),
  SHINSA_UPLOAD_IDLE_SECONDS: Type.Integer({
    minimum: 1, maximum: 3600, default: 60,
    description: 'seconds from 1 to 3600 (an upload that sends nothing for this long is cut)',
  }),
  SHINSA_STATEMENT_TIMEOUT_MS: Type.Integer({
    minimum: 0, maximum: 3_600_000, default: 30_000,
    description: 'milliseconds from 0 to 3600000 (PostgreSQL statement_timeout; 0: none)',
  }),
  SHINSA_CORS_ORIGINS: Type.Optional(Type.String({
    pattern: '^https?://[^,\\s]+(,https?://[^,\\s]+)*$',
    description: 'a comma-separated list of http(s) origins allowed by CORS (unset: CORS off)',
  })),
  SHINSA_SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0, maximum: 600000, default: 10000,
    description: 'milliseconds from 0 to 600000 (how long shutdown waits for in-flight requests)',
  }),
  SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 0, maximum: 10_000_000, default: 120,
    description: 'an integer from 0 to 10000000 (failed or unauthenticated requests a minute per client address on each instance; 0: no limit)',
  }),
  SHINSA_FAILED_AUTH_DELAY_MS: Type.Integer({
    minimum: 0, maximum: 10_000, default: 1000,
    description: 'milliseconds from 0 to 10000 (how long a failed authentication waits for its 401 or 429; 0: no wait)',
  }),
  SHINSA_AUTH_MISS_CACHE_MS: Type.Integer({
    minimum: 0, maximum: 600_000, default: 30_000,
    description: 'milliseconds from 0 to 600000 (how long an unknown API key is remembered as unknown; 0: never)',
  }),
  SHINSA_TRUST_PROXY: Type.Optional(Type.String({
    pattern: '^[^\\s,]+(,[^\\s,]+)*$',
    description: 'a comma-separated list of proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal) whose X-Forwarded-For is believed (unset: none)',
  })),
  SHINSA_RETENTION_MAX_DAYS: Type.Integer({
    minimum: 120, maximum: 3650, default: 1825,
    description: 'days from 120 to 3650 (the longest retention a merchant may choose)',
  }),
  SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS: Type.Integer({
    minimum: 0, maximum: 86_400, default: 600,
    description: 'seconds from 0 to 86400 (how long a shipment check repeated with the same body answers the stored check; 0: never)',
  }),
})

export type Config = Readonly<{
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  adminToken: string | undefined
  logLevel: (typeof LOG_LEVELS)[number]
  allowLoopbackWebhooks: boolean
  migrateOnStart: boolean
  dbPoolMax: number
  dbTimeoutMs: number
  shutdownGraceMs: number
  importMaxBytes: number
  batchMaxRows: number
  runJobs: boolean
  authCacheMs: number
  rateLimitPerMinute: number
  maxEventLoopDelayMs: number
  maxDbWaiting: number
  requestTimeoutMs: number
  uploadTimeoutSeconds: number
  uploadIdleSeconds: number
  statementTimeoutMs: number
  corsOrigins: readonly string[]
  unauthRateLimitPerMinute: number
  /** How long a failed authentication waits for its 401 or 429. */
  failedAuthDelayMs: number
  authMissCacheMs: number
  /** fastify's trustProxy: false, or the proxies' addresses and ranges. */
  trustProxy: false | readonly string[]
  retentionMaxDays: number
  shipmentReplayWindowSeconds: number
}>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const SECRET_VARIABLES = new Set(['DATABASE_URL', 'SHINSA_ADMIN_TOKEN'])

type AjvError = { instancePath: string; params: Record<string, unknown>; message?: string }

function describeFailure (env: Record<string, string | undefined>, errors: AjvError[]): string {
  const first = errors[0]
  const name = first?.instancePath.replace(/^\//, '') || String(first?.params.missingProperty ?? 'environment')
  const props = EnvSchema.properties as Record<string, TSchema>
  const expected = props[name]?.description ?? first?.message ?? 'a valid value'
  // Secrets are never echoed: this line goes to logs.
  const got = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(env[name] ?? null)})`
  return `Invalid configuration: ${name} must be ${expected}${got}`
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** SHINSA_TRUST_PROXY as fastify takes it; an entry that is no address, range or name is refused. */
function trustProxy (env: Record<string, string | undefined>, raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined) return false
  const entries = raw.split(',')
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/')
    const family = isIP(address)
    const ok = NAMED_RANGES.has(entry) ||
      (family !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))))
    if (!ok) throw new ConfigError(describeFailure(env, [{ instancePath: '/SHINSA_TRUST_PROXY', params: {} }]))
  }
  return Object.freeze(entries)
}

/** Reads and validates the environment; throws ConfigError with a one-line message. */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const data = Object.fromEntries(
    Object.keys(EnvSchema.properties).filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]])
  )
  let parsed: Static<typeof EnvSchema>
  try {
    parsed = envSchema<Static<typeof EnvSchema>>({ schema: EnvSchema, data, env: false, dotenv: false })
  } catch (err) {
    throw new ConfigError(describeFailure(env, ((err as { errors?: AjvError[] }).errors) ?? []))
  }
  if (parsed.DATABASE_URL !== undefined && !URL.canParse(parsed.DATABASE_URL)) {
    throw new ConfigError(describeFailure(env, [{ instancePath: '/DATABASE_URL', params: {} }]))
  }
  return Object.freeze({
    port: parsed.PORT,
    host: parsed.HOST,
    databaseUrl: parsed.DATABASE_URL,
    dataDir: parsed.SHINSA_DATA_DIR,
    adminToken: parsed.SHINSA_ADMIN_TOKEN,
    logLevel: parsed.LOG_LEVEL,
    allowLoopbackWebhooks: parsed.SHINSA_ALLOW_LOOPBACK_WEBHOOKS,
    migrateOnStart: parsed.SHINSA_MIGRATE_ON_START,
    dbPoolMax: parsed.SHINSA_DB_POOL_MAX,
    dbTimeoutMs: parsed.SHINSA_DB_TIMEOUT_MS,
    shutdownGraceMs: parsed.SHINSA_SHUTDOWN_GRACE_MS,
    importMaxBytes: parsed.SHINSA_IMPORT_MAX_BYTES,
    batchMaxRows: parsed.SHINSA_BATCH_MAX_ROWS,
    runJobs: parsed.SHINSA_RUN_JOBS,
    authCacheMs: parsed.SHINSA_AUTH_CACHE_MS,
    rateLimitPerMinute: parsed.SHINSA_RATE_LIMIT_PER_MINUTE,
    maxEventLoopDelayMs: parsed.SHINSA_MAX_EVENT_LOOP_DELAY_MS,
    maxDbWaiting: parsed.SHINSA_MAX_DB_WAITING,
    requestTimeoutMs: parsed.SHINSA_REQUEST_TIMEOUT_MS,
    uploadTimeoutSeconds: parsed.SHINSA_UPLOAD_TIMEOUT_SECONDS,
    uploadIdleSeconds: parsed.SHINSA_UPLOAD_IDLE_SECONDS,
    statementTimeoutMs: parsed.SHINSA_STATEMENT_TIMEOUT_MS,
    corsOrigins: Object.freeze(parsed.SHINSA_CORS_ORIGINS?.split(',') ?? []),
    unauthRateLimitPerMinute: parsed.SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE,
    failedAuthDelayMs: parsed.SHINSA_FAILED_AUTH_DELAY_MS,
    authMissCacheMs: parsed.SHINSA_AUTH_MISS_CACHE_MS,
    trustProxy: trustProxy(env, parsed.SHINSA_TRUST_PROXY),
    retentionMaxDays: parsed.SHINSA_RETENTION_MAX_DAYS,
    shipmentReplayWindowSeconds: parsed.SHINSA_SHIPMENT_REPLAY_WINDOW_SECONDS,
  })
}
