// Tenant isolation, walked from the OpenAPI document: merchant A holds one real resource of every
// kind; merchant B's full key calls every merchant-scoped operation with A's ids and must get the
// very 404 an id naming nothing gets, see none of A's items in its lists, change none of A's
// rows, and score its own orders on its own evidence only (no replay of A's answer, no A's
// blocklist, history or velocity).
import t, { type Test } from 'tap'
import { sql, type Kysely } from 'kysely'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant } from '../helper.js'
import { BODIES, HOME, OPERATIONS, nobody, requestOf, urlOf, type Operation, type PathParam } from './operations.js'

const A_ORDER = 'ORD-A-1'
// A's order is the same minimal order every walk sends: B sending it under A's orderId is the
// very body a leaking idempotency key would replay.
const A_ORDER_BODY = BODIES.scoreOrder!({ orderId: A_ORDER }).payload as Record<string, unknown>
const A_BUYER = A_ORDER_BODY.buyer as { email: string }
const A_SECRET_NOTE = 'A商店だけのメモ-7f3c'
// A ship-to three of A's buyers use: the third is VELOCITY_SHIP_TO at A, and nothing at B.
const DROP = { line: '埼玉県さいたま市大宮区桜木町1-7-5 902' }
const HISTORY_OR_LIST = ['BLOCKLIST_HIT', 'FRAUD_HISTORY_MATCH', 'FRAUD_HISTORY_SIMILAR', 'VELOCITY_SHIP_TO', 'VELOCITY_BUYER']

const MERCHANT_SCOPED = OPERATIONS.filter((op) => op.apiKey)
const codes = (res: LightMyRequestResponse): string[] => res.json().reasons.map((r: { code: string }) => r.code)

type Fixtures = Record<string, string>

/** The Idempotency-Key A and B both send for one operation: keys are per merchant. */
const idemKey = (operationId: string) => `tenant-walk-${operationId}`

async function ok (t: Test, res: Promise<LightMyRequestResponse>, status: number, what: string): Promise<any> {
  const r = await res
  t.equal(r.statusCode, status, `${what}: ${r.body.slice(0, 300)}`)
  return r.json()
}

/** Merchant A with one real resource of every kind; answers the ids, by path collection. */
async function merchantA (t: Test, app: FastifyInstance) {
  const m = await createMerchant(app, 'A商店')
  const key = (await createKey(app, m.id)).key
  // A's creates carry the Idempotency-Key B's walk sends for the same operation: B must run its own.
  const call = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, idem?: string) =>
    app.inject({ method, url, headers: { ...bearer(key), ...(idem !== undefined ? { 'idempotency-key': idem } : {}) }, ...(payload !== undefined ? { payload } : {}) })

  const scored = await ok(t, call('POST', '/v1/orders/score', A_ORDER_BODY, idemKey('scoreOrder')), 200, 'A scores its order')
  t.match(scored, { orderId: A_ORDER, score: 0, reasons: [], history: 'none' }, 'the fixture order is clean at a merchant with nothing on file')
  await ok(t, call('POST', `/v1/orders/${A_ORDER}/feedback`, { type: 'fraud_confirmed' }), 201, 'A confirms it as fraud')
  const entry = await ok(t, call('POST', '/v1/blocklist', { type: 'email', value: A_BUYER.email, note: A_SECRET_NOTE }, idemKey('createBlocklistEntry')), 201, 'A blocklists the buyer')
  await ok(t, call('POST', '/v1/blocklist', { type: 'address', value: `${HOME.prefecture}${HOME.city}${HOME.town}${HOME.block} ${HOME.room}` }), 201, 'A blocklists the address')
  const shipment = await ok(t, call('POST', '/v1/shipments/check', { orderId: A_ORDER, shipTo: { address: HOME } }, idemKey('checkShipment')), 200, 'A checks the shipment')
  t.ok(shipment.authorization !== null && shipment.reasons.some((r: { code: string }) => r.code === 'BLOCKLIST_HIT'), 'A\'s own shipment check sees A\'s score and blocklist')
  await ok(t, call('POST', '/v1/address-matches', { orderId: A_ORDER, email: A_BUYER.email, address: HOME }, idemKey('matchAddress')), 200, 'A matches an address')
  const batch = await ok(t, call('POST', '/v1/address-match-batches', { rows: [{ orderId: A_ORDER, email: A_BUYER.email, ...HOME }] }, idemKey('createAddressMatchBatch')), 202, 'A uploads a batch')
  const backtest = await ok(t, call('POST', '/v1/backtests', { shadow: true, from: '2026-06-01T00:00:00+09:00', to: '2026-07-01T00:00:00+09:00' }), 202, 'A queues a backtest')
  const webhook = await ok(t, call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', minLevel: 'elevated', mode: 'immediate' }, idemKey('createWebhook')), 201, 'A adds a webhook')
  const delivery = await ok(t, call('POST', `/v1/webhooks/${webhook.id}/test`), 202, 'A sends a test delivery')
  const rules = BODIES.createRuleset!({ orderId: A_ORDER }).payload as Record<string, unknown>
  const ruleset = await ok(t, call('POST', '/v1/rulesets', rules, idemKey('createRuleset')), 201, 'A drafts a ruleset')
  await ok(t, call('POST', '/v1/rulesets', rules), 201, 'A drafts another')
  await ok(t, call('POST', '/v1/rulesets/2/shadow'), 200, 'A runs the second as its shadow')

  // The fixtures are live: at A, A's blocklist, history and velocity do apply.
  const again = await call('POST', '/v1/orders/score', { ...A_ORDER_BODY, orderId: 'ORD-A-2' })
  for (const code of ['BLOCKLIST_HIT', 'FRAUD_HISTORY_MATCH']) t.ok(codes(again).includes(code), `control: A's next order from that buyer has ${code}`)
  for (let i = 1; i <= 3; i++) {
    const res = await call('POST', '/v1/orders/score', { ...A_ORDER_BODY, orderId: `ORD-A-V${i}`, buyer: { ...A_ORDER_BODY.buyer as object, name: `別人 ${i}郎`, nameKana: undefined, email: `v${i}@example.jp`, phone: undefined, ip: undefined }, shipTo: { address: DROP } })
    if (i === 3) t.ok(codes(res).includes('VELOCITY_SHIP_TO'), `control: A's third buyer to one ship-to is velocity (${codes(res).join(', ')})`)
  }

  const fixtures: Fixtures = {
    merchants: m.id,
    orders: A_ORDER,
    'address-match-batches': batch.id,
    backtests: backtest.id,
    blocklist: entry.id,
    webhooks: webhook.id,
    deliveries: delivery.deliveryId,
    rulesets: String(ruleset.version),
  }
  // Anything that names one of A's resources, or says something only A wrote (a ruleset version
  // is a small number every merchant has its own of).
  const secrets = [...Object.values(fixtures).filter((v) => v !== A_ORDER && v !== fixtures.rulesets), delivery.eventId, webhook.secret, A_SECRET_NOTE]
  return { id: m.id, key, fixtures, secrets, scored }
}

/** Every row of the merchant's, in every table that has a merchant_id, and its merchants row. */
async function rowsOf (db: Kysely<any>, merchantId: string): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ name: string }>`
    select distinct c.table_name as name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.column_name = 'merchant_id' order by 1`.execute(db)
  const out: Record<string, string[]> = {}
  for (const { name } of tables) {
    const { rows } = await sql<{ r: string }>`select to_jsonb(x)::text as r from ${sql.table(name)} x where merchant_id = ${merchantId}`.execute(db)
    out[name] = rows.map((r) => r.r).sort()
  }
  const { rows } = await sql<{ r: string }>`select to_jsonb(x)::text as r from merchants x where id = ${merchantId}`.execute(db)
  out.merchants = rows.map((r) => r.r)
  // Keyed by owner (a merchant's id, or the operator), not merchant_id.
  const keys = await sql<{ r: string }>`select to_jsonb(x)::text as r from idempotency_keys x where owner = ${merchantId}`.execute(db)
  out.idempotency_keys = keys.rows.map((r) => r.r).sort()
  return out
}

/** The id for each path parameter, or null (and a failure naming the route) when none is known. */
function fill (t: Test, op: Operation, ids: Fixtures): string | null {
  const missing = op.params.filter((p) => ids[p.collection] === undefined)
  if (missing.length > 0) {
    t.fail(`${op.label}: no fixture for ${missing.map((p) => `{${p.name}} (a member of "${p.collection}")`).join(', ')} — ` +
      'create one for merchant A in merchantA() and add its id to the fixtures')
    return null
  }
  return urlOf(op, (p) => ids[p.collection]!)
}

function leaks (t: Test, res: LightMyRequestResponse, secrets: string[], what: string): void {
  const found = secrets.filter((s) => res.body.includes(s))
  t.same(found, [], `${what}: nothing of A's in the answer`)
}

t.test('merchant B with merchant A\'s ids', async (t) => {
  const { app } = await build(t, { env: { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true' } })
  const a = await merchantA(t, app)
  const b = await createMerchant(app, 'B商店')
  const bKey = (await createKey(app, b.id, { preset: 'full' })).key
  const asB = bearer(bKey)
  const before = await rowsOf(app.db, a.id)
  const empty = Object.entries(before).filter(([, rows]) => rows.length === 0).map(([table]) => table)
  t.comment(`A's rows: ${Object.entries(before).map(([k, v]) => `${k} ${v.length}`).join(', ')}`)

  const withParams = MERCHANT_SCOPED.filter((op) => op.params.length > 0)
  const lists = MERCHANT_SCOPED.filter((op) => op.params.length === 0 && op.method === 'GET')
  const creates = MERCHANT_SCOPED.filter((op) => op.params.length === 0 && op.method !== 'GET')
  t.equal(withParams.length + lists.length + creates.length, MERCHANT_SCOPED.length)

  await t.test('lists as B, before B has anything: empty', async (t) => {
    for (const op of lists) {
      const res = await app.inject(requestOf(op, op.path, asB))
      t.equal(res.statusCode, 200, `${op.label}: ${res.body.slice(0, 200)}`)
      t.same(res.json().items, [], `${op.label}: none of A's items`)
      leaks(t, res, a.secrets, op.label)
    }
  })

  await t.test('every operation on one of A\'s resources: the 404 an id naming nothing gets', async (t) => {
    let walked = 0
    for (const op of withParams) {
      const url = fill(t, op, a.fixtures)
      if (url === null) continue
      // The same call with ids that name nothing: A's ids must be indistinguishable from them.
      const stand: Record<string, string> = {}
      const unknownUrl = urlOf(op, (p: PathParam) => (stand[a.fixtures[p.collection]!] = nobody(p)))
      const accepts = op.answers.filter((type) => type !== 'application/json')
      for (const accept of [undefined, ...accepts]) {
        const headers = accept === undefined ? asB : { ...asB, accept }
        const what = `B → ${op.label}${accept === undefined ? '' : ` (accept ${accept})`}`
        const res = await app.inject(requestOf(op, url, headers, { orderId: A_ORDER }))
        const unknown = await app.inject(requestOf(op, unknownUrl, headers, { orderId: A_ORDER }))
        assertProblem(t, unknown, 'NOT_FOUND', { instance: unknownUrl })
        const detail = Object.entries(stand).reduce((d, [real, fake]) => d.replaceAll(fake, real), unknown.json().detail as string)
        assertProblem(t, res, 'NOT_FOUND', { instance: url, detail })
        t.equal(res.json().detail, detail, `${what}: the same detail as for an unknown id`)
        walked++
      }
    }
    t.comment(`${withParams.length} operations on A's resources (${walked} calls with their CSV variants)`)
  })

  const mine: Fixtures = { merchants: b.id }
  let bScoredAt: string | undefined
  await t.test('creates as B, with A\'s orderId: B\'s own, on B\'s evidence only', async (t) => {
    for (const op of creates) {
      if (op.method === 'DELETE') {
        // A merchant's singleton (its shadow ruleset): B has none, whatever A has (A's rows are checked below).
        assertProblem(t, await app.inject(requestOf(op, op.path, asB)), 'NOT_FOUND', { instance: op.path })
        continue
      }
      const res = await app.inject(requestOf(op, op.path, { ...asB, 'idempotency-key': idemKey(op.operationId) }, { orderId: A_ORDER }))
      t.ok(res.statusCode >= 200 && res.statusCode < 300, `B → ${op.label}: ${res.statusCode} ${res.body.slice(0, 300)}`)
      t.equal(res.headers['idempotent-replayed'], undefined, `B → ${op.label} under A's Idempotency-Key: B's own call, not A's answer`)
      leaks(t, res, a.secrets, `B → ${op.label}`)
      const body = res.json()
      if (op.operationId === 'scoreOrder') {
        t.equal(res.headers['idempotent-replayed'], undefined, 'A\'s orderId at B is a new order, not a replay of A\'s answer')
        t.not(body.evaluatedAt, a.scored.evaluatedAt, 'scored now, for B')
        t.match(body, { orderId: A_ORDER, score: 0, level: 'low', recommendation: 'proceed', history: 'none', reasons: [] },
          'A\'s blocklisted, fraud-confirmed buyer scores clean at B')
        mine.orders = body.orderId
        bScoredAt = body.evaluatedAt
      }
      if (op.operationId === 'checkShipment') {
        // B may have scored its own order of that id already (the document's order decides).
        const own = bScoredAt === undefined ? null : { evaluatedAt: bScoredAt }
        t.match(body, { orderId: A_ORDER, authorization: own, changes: [], reasons: [] }, 'B\'s check of A\'s orderId sees neither A\'s score nor A\'s lists')
        t.not(body.authorization?.evaluatedAt, a.scored.evaluatedAt, 'not A\'s authorization')
      }
      if (op.operationId === 'createBlocklistEntry') mine.blocklist = body.id
      if (op.operationId === 'createWebhook') mine.webhooks = body.id
      if (op.operationId === 'createAddressMatchBatch') mine['address-match-batches'] = body.id
      if (op.operationId === 'createBacktest') mine.backtests = body.id
    }
    // ORD-A-2 is A's order with a blocklist hit and a history match; B never scored one.
    const check = await app.inject({ method: 'POST', url: '/v1/shipments/check', headers: asB, payload: { orderId: 'ORD-A-2', shipTo: { address: HOME } } })
    t.match(check.json(), { orderId: 'ORD-A-2', authorization: null, changes: [], reasons: [], score: 0 }, 'B\'s check of an order only A scored: no authorization, no A evidence')
    const velocity = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: asB, payload: { ...A_ORDER_BODY, orderId: 'ORD-B-V', buyer: { ...A_ORDER_BODY.buyer as object, email: 'v4@example.jp' }, shipTo: { address: DROP } } })
    t.equal(velocity.statusCode, 200, velocity.body)
    t.same(codes(velocity).filter((c) => HISTORY_OR_LIST.includes(c)), [], 'A\'s orders to that ship-to count nothing in B\'s velocity')
    const replay = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: asB, payload: A_ORDER_BODY })
    t.equal(replay.headers['idempotent-replayed'], 'true', 'B\'s retry replays B\'s own answer')
    t.match(replay.json(), { score: 0, reasons: [] })
  })

  await t.test('lists as B, after B made its own: only B\'s', async (t) => {
    for (const op of lists) {
      const res = await app.inject(requestOf(op, op.path, asB))
      t.equal(res.statusCode, 200)
      const ids = (res.json().items as Array<{ id: string }>).map((i) => i.id)
      t.ok(ids.length > 0, `${op.label}: B sees its own`)
      t.same(ids.filter((id) => Object.values(a.fixtures).includes(id)), [], `${op.label}: none of A's items`)
      leaks(t, res, a.secrets, op.label)
    }
  })

  await t.test('B\'s own parent with A\'s child: still 404', async (t) => {
    const nested = withParams.filter((op) => op.params.length > 1)
    t.ok(nested.length > 0, 'the document has nested resources')
    if (mine.webhooks !== undefined) {
      const test = await app.inject({ method: 'POST', url: `/v1/webhooks/${mine.webhooks}/test`, headers: asB })
      if (test.statusCode === 202) mine.deliveries = test.json().deliveryId
    }
    for (const op of nested) {
      const last = op.params.at(-1)!
      const mixed = { ...mine, [last.collection]: a.fixtures[last.collection]! }
      const url = fill(t, op, mixed)
      if (url === null) continue
      const res = await app.inject(requestOf(op, url, asB, { orderId: A_ORDER }))
      assertProblem(t, res, 'NOT_FOUND', { instance: url })
    }
  })

  await t.test('none of A\'s rows changed', async (t) => {
    const after = await rowsOf(app.db, a.id)
    for (const table of Object.keys(before)) t.same(after[table], before[table], `${table}: as before B's walk`)
    t.comment(`merchant-owned tables with no row of A's (not exercised by the fixture): ${empty.join(', ') || 'none'}`)
  })

  await t.test('control: A reaches every one of those resources with its own key', async (t) => {
    // So B's 404s are tenancy, not a broken fixture. Deletes last, they end the resource.
    const ordered = [...withParams.filter((op) => op.method !== 'DELETE'), ...withParams.filter((op) => op.method === 'DELETE')]
    for (const op of ordered) {
      const url = fill(t, op, a.fixtures)
      if (url === null) continue
      const res = await app.inject(requestOf(op, url, bearer(a.key), { orderId: A_ORDER }))
      t.ok(res.statusCode >= 200 && res.statusCode < 300, `A → ${op.label}: ${res.statusCode} ${res.body.slice(0, 300)}`)
    }
    const replay = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(a.key), payload: A_ORDER_BODY })
    t.equal(replay.headers['idempotent-replayed'], 'true')
    t.same(replay.json(), a.scored, 'A\'s stored answer is A\'s, untouched by B\'s order of the same id')
  })
})
