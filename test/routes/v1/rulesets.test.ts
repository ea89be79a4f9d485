// /v1/rulesets: draft, list, read, publish (and roll back), shadow and clear it; maker-checker;
// refusals of rules that do not compile; per-merchant numbering under concurrency; tenancy.
import t, { type Test } from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

const body = (n = 1) => ({
  rules: [
    { id: 'high-amount', name: '高額注文', when: `order.amount >= ${n * 100000}`, action: { add: 30 }, note: '10万円以上は確認' },
    { id: 'cod-hold', name: '代引きは保留', when: 'order.paymentMethod == "cod"', action: { set: 'hold' } },
  ],
})
const zero = { evaluated: 0, matched: 0, errors: 0, lastError: null, lastErrorAt: null }

async function setUp (t: Test) {
  const built = await build(t)
  const m = await createMerchant(built.app, 'ルール商店')
  const maker = await createKey(built.app, m.id)
  const checker = await createKey(built.app, m.id)
  return { ...built, merchantId: m.id, maker, checker }
}

type Call = { method: 'GET' | 'POST' | 'DELETE'; url: string; key: string; payload?: unknown }
async function call (app: FastifyInstance, c: Call) {
  return app.inject({ method: c.method, url: c.url, headers: bearer(c.key), ...(c.payload !== undefined ? { payload: c.payload as object } : {}) })
}

/** A whole version answer; its times are checked for form only (`publishedAt: 'time'` wants one). */
function expectVersion (t: Test, got: Record<string, any>, want: Record<string, unknown>) {
  t.match(got.createdAt, ISO)
  if (got.publishedAt !== null) t.match(got.publishedAt, ISO)
  for (const p of got.history) t.match(p.at, ISO)
  const timeless = { ...got, createdAt: 'time', publishedAt: got.publishedAt === null ? null : 'time', history: got.history.map(({ at: _at, ...p }: { at: string }) => p) }
  t.same(timeless, { ...want, createdAt: 'time' })
}

t.test('draft → list → get → publish → 409 → publish another → roll back', async (t) => {
  const { app, maker } = await setUp(t)
  const created = await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: body(1) })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.headers.location, '/v1/rulesets/1')
  const draft = {
    version: 1, status: 'draft', live: false, shadow: false, ruleCount: 2, createdBy: maker.id, publishedBy: null, publishedAt: null, history: [],
    body: body(1), ruleCounts: [{ ruleId: 'high-amount', live: zero, shadow: zero }, { ruleId: 'cod-hold', live: zero, shadow: zero }],
  }
  expectVersion(t, created.json(), draft)

  const second = await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: { ...body(2), weights: { EMAIL_FREE_DOMAIN: 0 }, thresholds: { elevated: 20, high: 70 } } })
  t.equal(second.json().version, 2)

  const list = await call(app, { method: 'GET', url: '/v1/rulesets', key: maker.key })
  t.equal(list.statusCode, 200)
  const { body: _b, ruleCounts: _r, ...summary } = draft
  const l = list.json()
  t.same(l, {
    items: [{ ...summary, version: 2, createdAt: l.items[0].createdAt }, { ...summary, createdAt: created.json().createdAt }],
    nextCursor: null, live: null, shadow: null,
  })
  const paged = await call(app, { method: 'GET', url: '/v1/rulesets?limit=1', key: maker.key })
  t.same([paged.json().items.map((i: { version: number }) => i.version), paged.json().nextCursor], [[2], '2'])
  const next = await call(app, { method: 'GET', url: '/v1/rulesets?limit=1&after=2', key: maker.key })
  t.same([next.json().items.map((i: { version: number }) => i.version), next.json().nextCursor], [[1], null])

  const one = await call(app, { method: 'GET', url: '/v1/rulesets/1', key: maker.key })
  expectVersion(t, one.json(), draft)

  const published = await call(app, { method: 'POST', url: '/v1/rulesets/1/publish', key: maker.key })
  t.equal(published.statusCode, 200, published.body)
  const live1 = { ...draft, status: 'published', live: true, publishedBy: maker.id, publishedAt: 'time', history: [{ kind: 'live', keyId: maker.id }] }
  expectVersion(t, published.json(), live1)
  const firstPublishedAt = published.json().publishedAt

  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets/1/publish', key: maker.key }), 'CONFLICT', {
    detail: 'Version 1 is already live', instance: '/v1/rulesets/1/publish',
  })
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets/9/publish', key: maker.key }), 'NOT_FOUND', { detail: 'No ruleset version 9' })

  const other = await call(app, { method: 'POST', url: '/v1/rulesets/2/publish', key: maker.key })
  t.match(other.json(), { version: 2, status: 'published', live: true })
  const demoted = (await call(app, { method: 'GET', url: '/v1/rulesets/1', key: maker.key })).json()
  t.match(demoted, { status: 'published', live: false })

  // Rolling back is publishing the older version: its first publication is kept.
  const back = await call(app, { method: 'POST', url: '/v1/rulesets/1/publish', key: maker.key })
  t.equal(back.statusCode, 200, back.body)
  expectVersion(t, back.json(), { ...live1, history: [{ kind: 'live', keyId: maker.id }, { kind: 'live', keyId: maker.id }] })
  t.equal(back.json().publishedAt, firstPublishedAt, 'first published_at kept')
  const after = (await call(app, { method: 'GET', url: '/v1/rulesets', key: maker.key })).json()
  t.same([after.live, after.shadow, after.items.map((i: { live: boolean }) => i.live)], [1, null, [false, true]])
  const log = await app.db.selectFrom('ruleset_publications').select(['version', 'kind']).orderBy('id').execute()
  t.same(log, [{ version: 1, kind: 'live' }, { version: 2, kind: 'live' }, { version: 1, kind: 'live' }], 'appended, never edited')
})

t.test('shadow: set, replace, 409 for the live one, publish clears it, clear and 404', async (t) => {
  const { app, maker } = await setUp(t)
  for (const n of [1, 2, 3]) await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: body(n) })
  await call(app, { method: 'POST', url: '/v1/rulesets/1/publish', key: maker.key })
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets/1/shadow', key: maker.key }), 'CONFLICT', {
    detail: 'Version 1 is live; the shadow runs beside the live version, so it must be another', instance: '/v1/rulesets/1/shadow',
  })
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets/4/shadow', key: maker.key }), 'NOT_FOUND', { detail: 'No ruleset version 4' })
  assertProblem(t, await call(app, { method: 'DELETE', url: '/v1/rulesets/shadow', key: maker.key }), 'NOT_FOUND', {
    detail: 'No shadow version is set', instance: '/v1/rulesets/shadow',
  })

  const shadowed = await call(app, { method: 'POST', url: '/v1/rulesets/2/shadow', key: maker.key })
  t.equal(shadowed.statusCode, 200, shadowed.body)
  t.match(shadowed.json(), { version: 2, status: 'draft', live: false, shadow: true, history: [{ kind: 'shadow', keyId: maker.id }] })
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets/2/shadow', key: maker.key }), 'CONFLICT', { detail: 'Version 2 is already the shadow' })
  t.match((await call(app, { method: 'POST', url: '/v1/rulesets/3/shadow', key: maker.key })).json(), { version: 3, shadow: true })
  t.match((await call(app, { method: 'GET', url: '/v1/rulesets/2', key: maker.key })).json(), { shadow: false })

  // Publishing the shadow version makes it live and clears the shadow.
  const published = (await call(app, { method: 'POST', url: '/v1/rulesets/3/publish', key: maker.key })).json()
  t.same(published.history.map((p: { kind: string }) => p.kind), ['shadow', 'shadow_cleared', 'live'])
  t.same([published.live, published.shadow], [true, false])
  const list = (await call(app, { method: 'GET', url: '/v1/rulesets', key: maker.key })).json()
  t.same([list.live, list.shadow], [3, null])

  await call(app, { method: 'POST', url: '/v1/rulesets/1/shadow', key: maker.key })
  const cleared = await call(app, { method: 'DELETE', url: '/v1/rulesets/shadow', key: maker.key })
  t.equal(cleared.statusCode, 204)
  t.equal(cleared.body, '')
  const v1 = (await call(app, { method: 'GET', url: '/v1/rulesets/1', key: maker.key })).json()
  t.same(v1.history.map((p: { kind: string }) => p.kind), ['live', 'shadow', 'shadow_cleared'], 'a clear is the history of the version it cleared')
  t.same([v1.shadow, v1.status], [false, 'published'])
  assertProblem(t, await call(app, { method: 'DELETE', url: '/v1/rulesets/shadow', key: maker.key }), 'NOT_FOUND', { detail: 'No shadow version is set' })
  const { rows } = await sql<{ live_ruleset_version: number; shadow_ruleset_version: number | null }>`select live_ruleset_version, shadow_ruleset_version from merchants`.execute(app.db)
  t.same(rows, [{ live_ruleset_version: 3, shadow_ruleset_version: null }])
})

t.test('maker-checker: with the setting on, the drafting key cannot publish; another can', async (t) => {
  const { app, maker, checker, merchantId } = await setUp(t)
  await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: body(1) })
  const on = await app.inject({ method: 'PATCH', url: `/v1/merchants/${merchantId}`, headers: operator, payload: { settings: { rules: { publishRequiresSecondKey: true } } } })
  t.equal(on.statusCode, 200, on.body)
  t.same(on.json().settings, { thresholds: { elevated: 10, high: 50 }, retentionDays: 400, rules: { publishRequiresSecondKey: true } })
  const seen = await app.inject({ method: 'GET', url: `/v1/merchants/${merchantId}`, headers: bearer(maker.key) })
  t.same(seen.json().settings.rules, { publishRequiresSecondKey: true }, 'the merchant sees its setting')

  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets/1/publish', key: maker.key }), 'FORBIDDEN', {
    detail: 'This merchant requires a second key to publish: version 1 was drafted with this API key; publish it with another key holding rules:publish',
    instance: '/v1/rulesets/1/publish',
  })
  t.equal((await call(app, { method: 'GET', url: '/v1/rulesets', key: maker.key })).json().live, null, 'refused: nothing published')
  t.equal((await app.db.selectFrom('ruleset_publications').select('id').execute()).length, 0, 'and nothing appended')
  const ok = await call(app, { method: 'POST', url: '/v1/rulesets/1/publish', key: checker.key })
  t.equal(ok.statusCode, 200, ok.body)
  t.match(ok.json(), { createdBy: maker.id, publishedBy: checker.id, history: [{ kind: 'live', keyId: checker.id }] })
  // Shadowing decides nothing: the drafting key may.
  await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: body(2) })
  t.equal((await call(app, { method: 'POST', url: '/v1/rulesets/2/shadow', key: maker.key })).statusCode, 200)

  const off = await app.inject({ method: 'PATCH', url: `/v1/merchants/${merchantId}`, headers: operator, payload: { settings: { rules: { publishRequiresSecondKey: false } } } })
  t.same(off.json().settings.rules, { publishRequiresSecondKey: false })
  t.equal((await call(app, { method: 'POST', url: '/v1/rulesets/2/publish', key: maker.key })).statusCode, 200, 'off: the maker publishes its own')

  const strict = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: '厳格商店', settings: { rules: { publishRequiresSecondKey: true } } } })
  t.same(strict.json().settings.rules, { publishRequiresSecondKey: true }, 'set when the merchant is created')
  const fresh = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: '普通商店' } })
  t.same(fresh.json().settings.rules, { publishRequiresSecondKey: false }, 'off by default')
})

t.test('refusals: a rule that does not compile is 422 naming it; structure is 400', async (t) => {
  const { app, maker } = await setUp(t)
  const bad = {
    rules: [
      body().rules[0],
      { id: 'syntax', name: '構文エラー', when: 'order.amount >=', action: { add: 10 } },
      { id: 'typo', name: '綴り間違い', when: 'order.amout > 1', action: { set: 'review' } },
    ],
  }
  const res = await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: bad })
  assertProblem(t, res, 'RULESET_INVALID', {
    instance: '/v1/rulesets',
    detail: /^The ruleset does not compile: syntax: .+; typo: .+/,
    errors: [{ path: 'body.rules[1].when', message: /^syntax: \S.*/ }, { path: 'body.rules[2].when', message: /^typo: \S.*/ }],
  })
  t.equal((await app.db.selectFrom('rulesets').select('version').execute()).length, 0, 'nothing saved')

  const dup = { rules: [body().rules[0], { ...body().rules[1], id: 'high-amount' }], thresholds: { elevated: 50, high: 50 } }
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: dup }), 'RULESET_INVALID', {
    errors: [{ path: 'body.thresholds.elevated', message: 'must be below thresholds.high (50), is 50' }, { path: 'body.rules[1].id', message: "high-amount: duplicate rule id 'high-amount'" }],
  })

  const rule = body().rules[1]!
  for (const [patch, path, message] of [
    [{ id: '高額' }, 'body.rules[0].id', /pattern/],
    [{ id: 'x'.repeat(65) }, 'body.rules[0].id', /pattern/],
    [{ name: '' }, 'body.rules[0].name', /fewer than 1/],
    [{ name: 'x'.repeat(201) }, 'body.rules[0].name', /more than 200/],
    [{ note: 'x'.repeat(1001) }, 'body.rules[0].note', /more than 1000/],
    [{ when: '' }, 'body.rules[0].when', /fewer than 1/],
    [{ when: 'x'.repeat(2001) }, 'body.rules[0].when', /more than 2000/],
    [{ action: { set: 'block' } }, 'body.rules[0].action.set', /one of/],
    [{ action: { add: 101 } }, 'body.rules[0].action.add', /<= 100/],
    [{ action: { add: 1.5 } }, 'body.rules[0].action.add', /integer/],
    [{ action: {} }, 'body.rules[0].action', /fewer than 1/],
    [{ action: { add: 1, set: 'hold' } }, 'body.rules[0].action', /more than 1/],
  ] as const) {
    const r = await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: { rules: [{ ...rule, ...patch }] } })
    assertProblem(t, r, 'VALIDATION_FAILED', { errors: [{ path, message }] })
  }
  const { when: _w, ...noWhen } = rule
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: { rules: [noWhen] } }), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.rules[0].when', message: 'is required' }],
  })
  assertProblem(t, await call(app, { method: 'GET', url: '/v1/rulesets/abc', key: maker.key }), 'VALIDATION_FAILED', {
    errors: [{ path: 'path.version', message: /integer/ }],
  })
})

t.test('a stored version that no longer compiles is refused at publish and shadow, naming the rule', async (t) => {
  const { app, maker, merchantId } = await setUp(t)
  // As if the vocabulary had lost a field since the draft: the version is written as it was then.
  const stale = { rules: [{ id: 'gone-field', name: '消えた項目', when: 'order.amout > 1', action: { add: 5 } }] }
  await app.db.insertInto('rulesets').values({ merchant_id: merchantId, version: 1, body: JSON.stringify(stale), created_by: maker.id }).execute()
  for (const what of ['publish', 'shadow']) {
    assertProblem(t, await call(app, { method: 'POST', url: `/v1/rulesets/1/${what}`, key: maker.key }), 'RULESET_INVALID', {
      detail: /^Version 1 does not compile: gone-field: /, instance: `/v1/rulesets/1/${what}`, errors: [{ path: 'rules[0].when', message: /^gone-field: \S/ }],
    })
  }
  t.same((await call(app, { method: 'GET', url: '/v1/rulesets', key: maker.key })).json().live, null, 'not published')
})

t.test('versions are numbered per merchant, distinct under concurrent drafts', async (t) => {
  const { app, maker } = await setUp(t)
  const made = await Promise.all(Array.from({ length: 6 }, (_, i) => call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: body(i + 1) })))
  t.same(made.map((r) => r.statusCode), [201, 201, 201, 201, 201, 201])
  t.same(made.map((r) => r.json().version).sort(), [1, 2, 3, 4, 5, 6])
  const other = await createMerchant(app, '別の商店')
  const otherKey = await createKey(app, other.id)
  t.equal((await call(app, { method: 'POST', url: '/v1/rulesets', key: otherKey.key, payload: body() })).json().version, 1, 'another merchant starts at 1')
})

t.test('per-rule counts, live and shadow, from ruleset_rule_counts', async (t) => {
  const { app, maker, merchantId } = await setUp(t)
  await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: body() })
  await app.db.insertInto('ruleset_rule_counts').values([
    { merchant_id: merchantId, version: 1, rule_id: 'high-amount', role: 'live', evaluated: 120, matched: 7, errors: 1, last_error: 'no such key: card', last_error_at: new Date('2026-12-07T03:00:00Z') },
    { merchant_id: merchantId, version: 1, rule_id: 'cod-hold', role: 'shadow', evaluated: 40, matched: 2 },
  ]).execute()
  const got = (await call(app, { method: 'GET', url: '/v1/rulesets/1', key: maker.key })).json()
  t.same(got.ruleCounts, [
    { ruleId: 'high-amount', live: { evaluated: 120, matched: 7, errors: 1, lastError: 'no such key: card', lastErrorAt: '2026-12-07T03:00:00.000Z' }, shadow: zero },
    { ruleId: 'cod-hold', live: zero, shadow: { ...zero, evaluated: 40, matched: 2 } },
  ])
})

t.test('another merchant\'s versions are 404; scopes', async (t) => {
  const { app, maker, merchantId } = await setUp(t)
  await call(app, { method: 'POST', url: '/v1/rulesets', key: maker.key, payload: body() })
  await call(app, { method: 'POST', url: '/v1/rulesets/1/shadow', key: maker.key })
  const other = (await createKey(app, (await createMerchant(app, '他社')).id)).key
  for (const [method, url] of [['GET', '/v1/rulesets/1'], ['POST', '/v1/rulesets/1/publish'], ['POST', '/v1/rulesets/1/shadow']] as const) {
    assertProblem(t, await call(app, { method, url, key: other }), 'NOT_FOUND', { detail: 'No ruleset version 1', instance: url })
  }
  assertProblem(t, await call(app, { method: 'DELETE', url: '/v1/rulesets/shadow', key: other }), 'NOT_FOUND', { detail: 'No shadow version is set' })
  t.same((await call(app, { method: 'GET', url: '/v1/rulesets', key: other })).json(), { items: [], nextCursor: null, live: null, shadow: null })
  t.match((await call(app, { method: 'GET', url: '/v1/rulesets/1', key: maker.key })).json(), { shadow: true, live: false }, 'the owner\'s shadow untouched')

  const general = (await createKey(app, merchantId, { preset: 'general' })).key
  t.equal((await call(app, { method: 'GET', url: '/v1/rulesets', key: general })).statusCode, 200, 'general reads rules')
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets', key: general, payload: body() }), 'FORBIDDEN', { detail: 'This API key lacks the scope rules:draft' })
  const drafter = (await createKey(app, merchantId, { scopes: ['rules:draft'] })).key
  assertProblem(t, await call(app, { method: 'POST', url: '/v1/rulesets/1/publish', key: drafter }), 'FORBIDDEN', { detail: 'This API key lacks the scope rules:publish' })
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/rulesets', headers: operator }), 'FORBIDDEN', { detail: 'This operation needs a merchant API key' })
})
