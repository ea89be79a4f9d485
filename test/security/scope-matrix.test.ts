// Who may call what, walked from the OpenAPI document: every preset (full, general, shipping), a
// single-scope key, the operator, and revoked, expired, unknown and missing credentials against
// every operation. Allowed is anything but 401/403; denied is the whole 403 problem.
import t, { type Test } from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { ADMIN_TOKEN, assertProblem, bearer, build, createKey, createMerchant, operator } from '../helper.js'
import { OPERATIONS, nobody, requestOf, urlOf, type Operation, type PathParam } from './operations.js'

// The contract (the README's scope table), written out here rather than imported from src, so that a change to
// a preset in src is a failing test, not a silent widening.
const SCOPES = ['orders:score', 'orders:feedback', 'shipments:check', 'addresses:match', 'lists:read', 'lists:write', 'webhooks:manage', 'personal-data:erase',
  'orders:read', 'rules:read', 'rules:draft', 'rules:publish']
const PRESETS: Record<string, string[]> = {
  full: SCOPES,
  general: SCOPES.filter((s) => !['webhooks:manage', 'personal-data:erase', 'rules:draft', 'rules:publish'].includes(s)),
  shipping: ['shipments:check', 'addresses:match'],
}
// Operations anyone may call. A new operation with no `security` fails the walk until it is added.
const PUBLIC = new Set(['getHealth', 'getReadiness'])

const SECURED = OPERATIONS.filter((op) => op.operator || op.apiKey)

type Caller = { name: string; headers: Record<string, string>; may: (op: Operation) => boolean; denial: (op: Operation) => string }

function merchantKeyCaller (name: string, key: string, scopes: string[]): Caller {
  return {
    name,
    headers: bearer(key),
    may: (op) => op.apiKey && op.scopes.every((s) => scopes.includes(s)),
    denial: (op) => (op.apiKey ? `This API key lacks the scope ${op.scopes.join(', ')}` : 'This operation needs the operator credential'),
  }
}

async function send (app: FastifyInstance, op: Operation, merchantId: string, headers: Record<string, string>): Promise<{ res: LightMyRequestResponse; url: string }> {
  // The merchant's own id where a path names a merchant, so an allowed call reaches its handler
  // with something real; any other id names nothing (a 404 is still "allowed").
  const url = urlOf(op, (p: PathParam) => (p.collection === 'merchants' ? merchantId : nobody(p)))
  return { res: await app.inject(requestOf(op, url, headers)), url }
}

function assertAllowed (t: Test, res: LightMyRequestResponse, what: string): void {
  t.notOk(res.statusCode === 401 || res.statusCode === 403, `${what}: allowed, answered ${res.statusCode} ${res.body.slice(0, 200)}`)
  t.ok(res.statusCode < 500, `${what}: no server error (${res.statusCode} ${res.body.slice(0, 200)})`)
  // The minimal bodies are valid: an allowed call gets past validation into its handler.
  t.not(res.statusCode, 400, `${what}: the minimal request is valid (${res.body.slice(0, 300)})`)
}

t.test('the document: every operation is public by name, or names its credential and at most one known scope', async (t) => {
  for (const op of OPERATIONS) {
    if (!op.operator && !op.apiKey) {
      t.ok(PUBLIC.has(op.operationId), `${op.label} has no security: make it operator or merchant, or add it to PUBLIC`)
      continue
    }
    t.ok(op.scopes.length <= 1, `${op.label}: one scope per operation (${op.scopes.join(', ')})`)
    for (const s of op.scopes) t.ok(SCOPES.includes(s), `${op.label}: ${s} is a known scope`)
    if (op.apiKey && op.scopes.length === 0) {
      // Any key of any merchant passes the guard here: the handler alone must keep tenants apart
      // (tenant-isolation.test.ts walks it). Only reading the merchant itself is meant to be so.
      t.equal(op.operationId, 'getMerchant', `${op.label} admits any API key: give it a scope`)
    }
  }
  t.ok(SECURED.filter((op) => op.apiKey).length >= 20, 'the document was read')
})

t.test('scope matrix: presets, a single-scope key and the operator against every operation', async (t) => {
  const { app } = await build(t, { env: { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true' } })
  const m = await createMerchant(app, '行列商店')
  const callers: Caller[] = []
  for (const [preset, scopes] of Object.entries(PRESETS)) {
    const key = await createKey(app, m.id, { preset })
    t.same([...key.scopes].sort(), [...scopes].sort(), `preset ${preset} grants exactly ${scopes.join(', ')}`)
    callers.push(merchantKeyCaller(`preset ${preset}`, key.key, scopes))
  }
  const single = await createKey(app, m.id, { scopes: ['lists:read'] })
  t.same(single.scopes, ['lists:read'], 'a key made with one scope holds just that one')
  callers.push(merchantKeyCaller('scopes [lists:read]', single.key, ['lists:read']))
  callers.push({
    name: 'operator',
    headers: operator,
    may: (op) => op.operator,
    denial: () => 'This operation needs a merchant API key',
  })

  let cases = 0
  for (const caller of callers) {
    for (const op of SECURED) {
      const what = `${caller.name} → ${op.label}`
      const { res, url } = await send(app, op, m.id, caller.headers)
      if (caller.may(op)) assertAllowed(t, res, what)
      else assertProblem(t, res, 'FORBIDDEN', { detail: caller.denial(op), instance: url })
      cases++
    }
  }
  t.equal(cases, callers.length * SECURED.length)
  t.comment(`${SECURED.length} secured operations × ${callers.length} callers = ${cases} cases`)
})

t.test('revoked, expired, unknown and missing credentials are 401 on every secured operation', async (t) => {
  // No key cache: the expiry is moved below and must be seen at once.
  const { app } = await build(t, { env: { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true', SHINSA_AUTH_CACHE_MS: '0' } })
  const m = await createMerchant(app, '失効商店')
  const revoked = await createKey(app, m.id, { preset: 'full' })
  const gone = await app.inject({ method: 'DELETE', url: `/v1/merchants/${m.id}/api-keys/${revoked.id}`, headers: operator })
  t.equal(gone.statusCode, 200, gone.body)
  const expiring = await createKey(app, m.id, { preset: 'full', expiresAt: new Date(Date.now() + 60_000).toISOString() })
  t.equal((await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: bearer(expiring.key) })).statusCode, 200, 'works until it expires')
  // The check is the server's clock against expires_at: move the expiry rather than wait for it.
  await sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expiring.id}`.execute(app.db)

  const cases: Array<{ name: string; headers: Record<string, string>; detail: string }> = [
    { name: 'revoked key', headers: bearer(revoked.key), detail: 'The API key has been revoked' },
    { name: 'expired key', headers: bearer(expiring.key), detail: 'The API key has expired' },
    { name: 'unknown key', headers: bearer(`${revoked.key.slice(0, -4)}AAAA`), detail: 'The API key is not valid' },
    { name: 'operator token with a typo', headers: bearer(`${ADMIN_TOKEN}x`), detail: 'The API key is not valid' },
    { name: 'no credentials', headers: {}, detail: 'Send Authorization: Bearer <API key>' },
  ]
  for (const c of cases) {
    for (const op of SECURED) {
      const { res, url } = await send(app, op, m.id, c.headers)
      assertProblem(t, res, 'UNAUTHORIZED', { detail: c.detail, instance: url })
      t.equal(res.headers['www-authenticate'], 'Bearer realm="shinsa"', `${c.name} → ${op.label}: www-authenticate`)
    }
  }
  t.comment(`${cases.length} credentials × ${SECURED.length} operations`)
})
