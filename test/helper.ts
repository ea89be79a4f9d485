// Test helpers: an app on a fresh database cloned from the run's migrated template (PGlite, or
// PostgreSQL when DATABASE_URL is set), captured logs, and the usual calls and assertions.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { PGLITE_EXTENSIONS } from '../src/db/connect.js'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import { ERRORS, problemType, type ErrorCode } from '../src/errors.js'
import { checkExchange } from './contract/openapi-responses.js'
import { PGLITE_TEMPLATE, PG_TEMPLATE, quoteIdent, withDatabase } from './db-template.js'
import { issued, scanLogs, scanTables } from './security/secrets-scan.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'
export const operator = { authorization: `Bearer ${ADMIN_TOKEN}` }
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` })
export const usingPostgres = (process.env.DATABASE_URL ?? '') !== ''

export type FreshDatabase = { url?: string; pglite?: PGlite; drop: () => Promise<void> }

/** A database of this test's own: migrated (a clone of the template) or empty. */
export async function freshDatabase ({ migrated = true } = {}): Promise<FreshDatabase> {
  if (!usingPostgres) {
    const pglite = migrated
      ? await PGlite.create({ loadDataDir: new Blob([await readFile(PGLITE_TEMPLATE)]), extensions: PGLITE_EXTENSIONS })
      : await PGlite.create({ extensions: PGLITE_EXTENSIONS })
    return { pglite, drop: async () => { if (!pglite.closed) await pglite.close() } }
  }
  const { url, template } = JSON.parse(await readFile(PG_TEMPLATE, 'utf8')) as { url: string; template: string }
  const name = `${template}_c_${randomBytes(6).toString('hex')}`
  await adminQuery(url, `create database ${quoteIdent(name)}${migrated ? ` template ${quoteIdent(template)}` : ''}`)
  return { url: withDatabase(url, name), drop: () => adminQuery(url, `drop database if exists ${quoteIdent(name)} with (force)`) }
}

async function adminQuery (url: string, text: string): Promise<void> {
  // CREATE DATABASE … TEMPLATE fails while another clone is being copied; a retry settles it.
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(text)
      return
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200))
    } finally {
      await client.end()
    }
  }
}

export function testConfig (env: Record<string, string | undefined> = {}, db?: FreshDatabase): Config {
  return loadConfig({
    SHINSA_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'info',
    SHINSA_MIGRATE_ON_START: 'false',
    SHINSA_DB_TIMEOUT_MS: '2000',
    // Background workers only where a test asks for them (batch tests).
    SHINSA_RUN_JOBS: 'false',
    // Building a test app blocks the loop (PGlite, dictionaries): delay shedding would fire at random.
    SHINSA_MAX_EVENT_LOOP_DELAY_MS: '0',
    // Tests fire dozens of requests at once on purpose (races, fuzzing): queue shedding would
    // answer some of them 503. test/plugins/protection.test.ts turns both on.
    SHINSA_MAX_DB_WAITING: '0',
    // Tests send hundreds of failing credentials from 127.0.0.1 on purpose (scope matrix, fuzzing):
    // the per-address limit would answer them 429. test/plugins/protection.test.ts turns it on.
    SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE: '0',
    // Where a test turns that limit on, its 429s answer at once unless the test asks for the wait.
    SHINSA_FAILED_AUTH_DELAY_MS: '0',
    DATABASE_URL: db?.url,
    ...env,
  })
}

export type Built = { app: FastifyInstance; config: Config; db: FreshDatabase; logs: () => Array<Record<string, unknown>>; rawLogs: () => string }

/**
 * An app on a fresh database; closed (and its database dropped) when the test ends. Every answer
 * its inject gives is checked against openapi/openapi.json, and before the database is dropped
 * its tables and the captured logs are searched for what must never be kept (secrets-scan.ts).
 */
export async function build (t: Test, opts: { env?: Record<string, string>; migrated?: boolean } = {}): Promise<Built> {
  const db = await freshDatabase({ migrated: opts.migrated ?? true })
  const config = testConfig(opts.env, db)
  const lines: string[] = []
  const app = await buildApp(config, { pglite: db.pglite, logStream: { write: (line: string) => { lines.push(line) } } })
  checkResponses(t, app)
  t.teardown(async () => {
    const found: string[] = []
    try {
      // Before app.close(): it closes an embedded database. A database the test closed or
      // dropped itself (health tests) has nothing left to search.
      if (app.dbIsOpen()) found.push(...await scanTables(app.db, ADMIN_TOKEN).catch(gone))
      await app.close()
      found.push(...scanLogs(lines, ADMIN_TOKEN))
    } finally {
      await db.drop()
    }
    if (found.length > 0) {
      throw new Error(`secrets scan: ${found.length} finding(s): ${found.slice(0, 20).join('; ')}${found.length > 20 ? '; …' : ''}`)
    }
  })
  return {
    app,
    config,
    db,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    rawLogs: () => lines.join(''),
  }
}

// A dropped PostgreSQL database (3D000) or a closed PGlite: the test took the database away.
function gone (err: unknown): string[] {
  if ((err as { code?: string }).code === '3D000' || /closed/i.test(String(err))) return []
  throw err
}

const SHOWN_ONCE = new Set(['createApiKey', 'createWebhook', 'rotateWebhookSecret'])

/** Wraps inject: a response that breaks the document fails `t`; credentials shown once are noted for the scan. */
function checkResponses (t: Test, app: FastifyInstance): void {
  type Callback = (err: unknown, res?: LightMyRequestResponse) => void
  const inject = app.inject.bind(app) as (...args: unknown[]) => unknown
  const reported = new Set<string>()
  const check = (res: LightMyRequestResponse) => checkResponse(t, res, reported)
  // inject(options) and inject(options, callback); the chained form (inject() with no options,
  // which no test uses) passes through unchecked.
  app.inject = ((...args: unknown[]) => {
    const [options, callback] = args as [unknown, Callback | undefined]
    if (options === undefined || args.length > 2) return inject(...args)
    if (callback === undefined) return (inject(options) as Promise<LightMyRequestResponse>).then(check)
    return inject(options, (err: unknown, res?: LightMyRequestResponse) => {
      if (err != null || res === undefined) return callback(err, res)
      check(res).then((r) => callback(null, r), (e: unknown) => callback(e))
    })
  }) as FastifyInstance['inject']
}

// One failure per operation, status and violation in a test: the fuzz test repeats them by the hundred.
async function checkResponse (t: Test, res: LightMyRequestResponse, reported: Set<string>): Promise<LightMyRequestResponse> {
  const { method = 'GET', url = '/', headers } = res.raw.req
  const { operationId, violations } = await checkExchange({ method, url, status: res.statusCode, headers: res.headers, body: res.body })
  const seen = `${operationId} ${res.statusCode} ${violations.join('; ')}`
  if (violations.length > 0 && !reported.has(seen)) {
    reported.add(seen)
    const request = { 'content-type': headers['content-type'], 'content-length': headers['content-length'] }
    t.fail(`OpenAPI: ${method} ${url} → ${res.statusCode} (${operationId ?? 'no operation'}): ${violations.join('; ')}`, { violations, request, body: res.body.slice(0, 2000) })
  }
  if (res.statusCode < 300 && operationId !== undefined && SHOWN_ONCE.has(operationId)) {
    const { key, secret } = res.json() as { key?: unknown; secret?: unknown }
    if (typeof key === 'string') issued.apiKeys.add(key)
    if (typeof secret === 'string') issued.webhookSecrets.add(secret)
  }
  return res
}

export async function createMerchant (app: FastifyInstance, name = 'テスト商店'): Promise<{ id: string }> {
  const res = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name } })
  if (res.statusCode !== 201) throw new Error(`createMerchant: ${res.statusCode} ${res.body}`)
  return res.json()
}

export async function createKey (app: FastifyInstance, merchantId: string, body: Record<string, unknown> = { preset: 'full' }): Promise<{ id: string; key: string; scopes: string[] }> {
  const res = await app.inject({ method: 'POST', url: `/v1/merchants/${merchantId}/api-keys`, headers: operator, payload: body })
  if (res.statusCode !== 201) throw new Error(`createKey: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** Asserts the whole problem document (RFC 9457) of an error answer. */
export function assertProblem (
  t: Test,
  res: LightMyRequestResponse,
  code: ErrorCode,
  expected: { detail?: string | RegExp; instance?: string; errors?: Array<{ path: string; message: string | RegExp }> } = {}
): void {
  const status = ERRORS[code].status
  t.equal(res.statusCode, status, `status ${status} (${code}): ${res.body}`)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const body = res.json()
  const requestId = res.headers['x-request-id']
  t.ok(typeof requestId === 'string' && requestId.length > 0, 'x-request-id header')
  const keys = ['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId', ...(body.errors !== undefined ? ['errors'] : [])]
  t.same(Object.keys(body).sort(), keys.sort(), 'problem fields')
  t.equal(body.type, problemType(code))
  t.equal(body.title, ERRORS[code].title)
  t.equal(body.status, status)
  t.equal(body.code, code)
  t.equal(body.requestId, requestId)
  t.type(body.detail, 'string')
  if (expected.detail !== undefined) t.match(body.detail, expected.detail)
  if (expected.instance !== undefined) t.equal(body.instance, expected.instance)
  if (expected.errors !== undefined) {
    t.equal(body.errors?.length, expected.errors.length, `errors: ${JSON.stringify(body.errors)}`)
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path)
    t.match([...body.errors].sort(byPath), [...expected.errors].sort(byPath))
  }
}
