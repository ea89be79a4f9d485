// Backtests through the API: 20 orders scored (clean, free mail, overseas card, ship-to in the
// fraud-address store), some labeled, an unsaved ruleset that holds high amounts measured over
// the period — the whole report against hand-computed numbers — then the same report from a
// stored version and from the stored shadow outcomes; progress mid-run and a resume after a
// crash; tenancy, a refused ruleset and bad periods.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'
import { startBacktestWorker } from '../../../src/jobs/backtests.js'
import { HOME, order } from './order-fixture.js'

const STORE = 'issuer,reported_on,prefecture,city,town,block,room,building\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,\n'
const HOLD_HIGH = { rules: [{ id: 'high-value-hold', name: '高額注文は保留（5万円以上）', when: 'order.amount >= 50000', action: { set: 'hold' } }] }
const FROM = '2026-06-01T00:00:00.000Z'
const TO = '2026-06-21T00:00:00.000Z'

type Kind = 'clean' | 'freemail' | 'overseas' | 'fraudaddr'
// [orderId, amount, kind, label]; O<n> is placed on 2026-06-<n> at 00:00Z, a day apart so no
// velocity signal fires.
const ORDERS: Array<[string, number, Kind, string | null]> = [
  ['O01', 5800, 'clean', 'legitimate'], ['O02', 52000, 'clean', 'legitimate'], ['O03', 80000, 'freemail', 'chargeback'],
  ['O04', 12000, 'overseas', 'fraud_confirmed'], ['O05', 60000, 'overseas', 'chargeback'], ['O06', 3000, 'fraudaddr', 'chargeback'],
  ['O07', 70000, 'fraudaddr', 'legitimate'], ['O08', 9800, 'clean', null], ['O09', 55000, 'clean', null],
  ['O10', 4500, 'freemail', 'legitimate'], ['O11', 2000, 'clean', null], ['O12', 30000, 'overseas', 'legitimate'],
  ['O13', 100000, 'clean', 'fraud_confirmed'], ['O14', 7000, 'clean', null], ['O15', 6500, 'freemail', null],
  ['O16', 49999, 'clean', 'legitimate'], ['O17', 50000, 'overseas', null], ['O18', 8000, 'clean', 'chargeback'],
  ['O19', 15000, 'clean', null], ['O20', 65000, 'freemail', 'legitimate'],
]
const STORED: Record<Kind, string> = { clean: 'proceed', freemail: 'proceed', overseas: 'review', fraudaddr: 'hold' }

function body (id: string, amount: number, kind: Kind, orderedAt: string): Record<string, unknown> {
  const base = order({ orderId: id, amount, orderedAt, items: [{ sku: 'SKU-1', name: '本', category: 'books', unitPrice: amount, quantity: 1 }] })
  const buyer = { ...(base.buyer as Record<string, unknown>), email: kind === 'freemail' ? `${id.toLowerCase()}@gmail.com` : `${id.toLowerCase()}@example.co.jp` }
  if (kind === 'overseas') return { ...base, buyer, card: { bin: '401234', last4: '4242', issuerCountry: 'US' } }
  if (kind === 'fraudaddr') return { ...base, buyer, shipTo: { name: '山田 太郎', address: { line: '東京都渋谷区道玄坂1-2-3 202号室' } } }
  return { ...base, buyer }
}

const T = (orders: number, amount: number) => ({ orders, amount })

// Computed by hand from ORDERS: O19 has no features (skipped); the candidate holds ≥ 50,000 円.
const EXPECTED = {
  evaluated: 19,
  skipped: 1,
  labels: { fraud: T(6, 263000), legitimate: T(7, 277299), unlabeled: T(6, 130300) },
  decided: {
    byRecommendation: { proceed: T(13, 445599), review: T(4, 152000), hold: T(2, 73000) },
    atHold: { fraudCaught: T(1, 3000), goodFlagged: T(1, 70000), recall: 1 / 6, precision: 1 / 2 },
    atReviewOrHold: { fraudCaught: T(3, 75000), goodFlagged: T(2, 100000), recall: 0.5, precision: 0.6 },
  },
  candidate: {
    byRecommendation: { proceed: T(8, 93599), review: T(2, 42000), hold: T(9, 535000) },
    atHold: { fraudCaught: T(4, 243000), goodFlagged: T(3, 187000), recall: 4 / 6, precision: 4 / 7 },
    atReviewOrHold: { fraudCaught: T(5, 255000), goodFlagged: T(4, 217000), recall: 5 / 6, precision: 5 / 9 },
  },
  changes: {
    count: 7,
    matrix: { proceed: { proceed: 0, review: 0, hold: 5 }, review: { proceed: 0, review: 0, hold: 2 }, hold: { proceed: 0, review: 0, hold: 0 } },
    orders: [
      ['O02', 52000, 'proceed', 'legitimate'], ['O03', 80000, 'proceed', 'chargeback'], ['O05', 60000, 'review', 'chargeback'],
      ['O09', 55000, 'proceed', null], ['O13', 100000, 'proceed', 'fraud_confirmed'], ['O17', 50000, 'review', null], ['O20', 65000, 'proceed', 'legitimate'],
    ].map(([orderId, amount, from, label]) => ({ orderId, orderedAt: `2026-06-${String(orderId).slice(1)}T00:00:00.000Z`, amount, from, to: 'hold', label })),
  },
}

async function setUp (t: Parameters<typeof build>[0]) {
  const built = await build(t)
  const { app } = built
  const imp = await app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  t.equal(imp.statusCode, 201)
  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  // Version 1 written directly (the rulesets API is not this test's) and set as the shadow, so
  // every order scored below stores the shadow outcome of the same ruleset the backtest evaluates.
  await sql`insert into rulesets (merchant_id, version, body) values (${m.id}, 1, ${JSON.stringify(HOLD_HIGH)}::jsonb)`.execute(app.db)
  await sql`update merchants set shadow_ruleset_version = 1 where id = ${m.id}`.execute(app.db)
  const outside: Array<[string, string]> = [['BEFORE', '2026-05-31T23:59:59.999Z'], ['AT-TO', TO]]
  for (const [id, at] of [...ORDERS.map(([id]) => [id, `2026-06-${id.slice(1)}T00:00:00.000Z`] as [string, string]), ...outside]) {
    const row = ORDERS.find((o) => o[0] === id) ?? [id, 90000, 'clean', null] as const
    const res = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: body(id, row[1], row[2], at) })
    t.equal(res.statusCode, 200, `${id} scored`)
    t.equal(res.json().recommendation, STORED[row[2]], `${id} is stored as ${STORED[row[2]]}`)
  }
  for (const [id, , , label] of ORDERS) {
    if (label === null) continue
    const res = await app.inject({ method: 'POST', url: `/v1/orders/${id}/feedback`, headers: bearer(key), payload: { type: label } })
    t.equal(res.statusCode, 201, `${id} labeled ${label}`)
  }
  // An order scored before decisions were recorded: nothing to decide again, no shadow.
  await sql`update orders set features = null, trace = null, shadow = null where merchant_id = ${m.id} and order_id = 'O19'`.execute(app.db)
  return { ...built, merchantId: m.id, key }
}

const create = (app: FastifyInstance, key: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/v1/backtests', headers: bearer(key), payload })
const read = (app: FastifyInstance, key: string, id: string) =>
  app.inject({ method: 'GET', url: `/v1/backtests/${id}`, headers: bearer(key) })

t.test('an unsaved ruleset, a stored version and the shadow outcomes over the period: the whole report', async (t) => {
  const { app, key } = await setUp(t)
  const worker = startBacktestWorker(app.db, app.log, { loop: false })
  t.teardown(() => worker.stop())
  const cases: Array<[string, Record<string, unknown>, { version: number | null; shadow: boolean }]> = [
    ['unsaved ruleset', { ruleset: HOLD_HIGH }, { version: null, shadow: false }],
    ['version 1', { version: 1 }, { version: 1, shadow: false }],
    ['shadow', { shadow: true }, { version: null, shadow: true }],
  ]
  for (const [name, what, shape] of cases) {
    // 09:00 in Japan is the period's start in UTC: the answer gives it back in UTC.
    const res = await create(app, key, { ...what, from: '2026-06-01T09:00:00+09:00', to: TO })
    t.equal(res.statusCode, 202, `${name}: accepted`)
    const created = res.json()
    t.equal(res.headers.location, `/v1/backtests/${created.id}`)
    t.match(created, { ...shape, from: FROM, to: TO, status: 'queued', progress: { done: 0, total: null }, startedAt: null, finishedAt: null, error: null, result: null })
    t.equal(await worker.runOnce(), true, `${name}: claimed`)
    const done = (await read(app, key, created.id)).json()
    t.match(done, { status: 'done', progress: { done: 20, total: 20 }, error: null }, name)
    t.ok(done.startedAt !== null && done.finishedAt !== null)
    t.same(done.result, EXPECTED, `${name}: the report`)
  }
  t.equal(await worker.runOnce(), false, 'nothing left to claim')
})

t.test('progress shows after each page; a walk cut short resumes without counting twice', async (t) => {
  const { app, key } = await setUp(t)
  const seen: unknown[] = []
  let crash = true
  const first = startBacktestWorker(app.db, app.log, {
    loop: false, pageSize: 5,
    onPage: async ({ id }) => {
      seen.push((await read(app, key, id)).json())
      if (seen.length === 2 && crash) { crash = false; throw new Error('the process died here') }
    },
  })
  t.teardown(() => first.stop())
  const id = (await create(app, key, { ruleset: HOLD_HIGH, from: FROM, to: TO })).json().id
  await first.runOnce()
  t.match(seen, [{ status: 'running', progress: { done: 5, total: 20 }, result: null }, { status: 'running', progress: { done: 10, total: 20 } }])
  t.match((await read(app, key, id)).json(), { status: 'queued', progress: { done: 10, total: 20 }, result: null }, 'handed back with its progress')
  // The resuming worker decides on the main thread (threads: 0): the same report either way.
  const second = startBacktestWorker(app.db, app.log, { loop: false, pageSize: 5, threads: 0 })
  t.teardown(() => second.stop())
  await second.runOnce()
  const done = (await read(app, key, id)).json()
  t.match(done, { status: 'done', progress: { done: 20, total: 20 } })
  t.same(done.result, EXPECTED, 'the same report as one uninterrupted walk')
})

t.test('a version that does not exist is 404; an invalid ruleset is 422; another merchant\'s backtest is 404', async (t) => {
  const { app, key } = await setUp(t)
  assertProblem(t, await create(app, key, { version: 2, from: FROM, to: TO }), 'NOT_FOUND', { detail: 'No ruleset version 2' })
  const bad = await create(app, key, { ruleset: { rules: [{ id: 'r1', name: '壊れた式', when: 'order.amount >=', action: { set: 'hold' } }] }, from: FROM, to: TO })
  assertProblem(t, bad, 'RULESET_INVALID', { errors: [{ path: 'body.ruleset.rules[0].when', message: /^r1: / }] })
  const id = (await create(app, key, { shadow: true, from: FROM, to: TO })).json().id
  const other = await createMerchant(app, '別の商店')
  const otherKey = (await createKey(app, other.id)).key
  assertProblem(t, await read(app, otherKey, id), 'NOT_FOUND', { detail: `No backtest ${id}` })
  assertProblem(t, await create(app, otherKey, { version: 1, from: FROM, to: TO }), 'NOT_FOUND', { detail: 'No ruleset version 1' })
  t.equal((await read(app, key, id)).statusCode, 200, 'its own merchant reads it')
})

t.test('a version deleted before the walk fails the backtest, saying why', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const id = (await create(app, key, { version: 1, from: FROM, to: TO })).json().id
  await sql`update merchants set shadow_ruleset_version = null where id = ${merchantId}`.execute(app.db)
  await sql`delete from rulesets where merchant_id = ${merchantId} and version = 1`.execute(app.db)
  const worker = startBacktestWorker(app.db, app.log, { loop: false })
  t.teardown(() => worker.stop())
  t.equal(await worker.runOnce(), true)
  t.match((await read(app, key, id)).json(), { status: 'failed', error: 'ruleset version 1 no longer exists', result: null, progress: { done: 0 } })
  t.equal(await worker.runOnce(), false, 'not claimed again')
})

t.test('a bad period is 400 naming the field', async (t) => {
  const { app, key } = await setUp(t)
  assertProblem(t, await create(app, key, { shadow: true, from: TO, to: FROM }), 'VALIDATION_FAILED', { errors: [{ path: 'body.to', message: 'must be after from' }] })
  assertProblem(t, await create(app, key, { shadow: true, from: FROM, to: FROM }), 'VALIDATION_FAILED', { errors: [{ path: 'body.to', message: 'must be after from' }] })
  assertProblem(t, await create(app, key, { shadow: true, from: '2025-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }), 'VALIDATION_FAILED',
    { errors: [{ path: 'body.to', message: 'must be at most 400 days after from' }] })
  const res = await create(app, key, { shadow: true, from: 'yesterday', to: TO })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'VALIDATION_FAILED')
  t.match(JSON.stringify(res.json().errors), /from/)
  const n = await sql<{ n: number }>`select count(*)::int as n from backtests`.execute(app.db)
  t.equal(n.rows[0]?.n, 0, 'nothing was queued')
})
