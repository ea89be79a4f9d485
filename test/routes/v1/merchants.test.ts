import t from 'tap'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'

t.test('merchants: create, read, list, update', async (t) => {
  const { app } = await build(t)

  const created = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: '  審査商店  ' } })
  t.equal(created.statusCode, 201)
  const m = created.json()
  t.match(m, { id: /^[0-9a-f-]{36}$/, name: '審査商店', settings: { thresholds: { elevated: 10, high: 50 } } })
  t.equal(created.headers.location, `/v1/merchants/${m.id}`)
  t.equal(new Date(m.createdAt).toISOString(), m.createdAt)

  const read = await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: operator })
  t.equal(read.statusCode, 200)
  t.same(read.json(), m)

  const custom = await app.inject({
    method: 'POST', url: '/v1/merchants', headers: operator,
    payload: { name: 'strict shop', settings: { thresholds: { elevated: 5, high: 30 } } },
  })
  t.same(custom.json().settings, { thresholds: { elevated: 5, high: 30 }, retentionDays: 400, rules: { publishRequiresSecondKey: false } })

  const patched = await app.inject({
    method: 'PATCH', url: `/v1/merchants/${m.id}`, headers: operator, payload: { settings: { thresholds: { high: 60 } } },
  })
  t.equal(patched.statusCode, 200)
  t.match(patched.json(), { name: '審査商店', settings: { thresholds: { elevated: 10, high: 60 } } })
  t.ok(patched.json().updatedAt >= m.updatedAt)

  const renamed = await app.inject({ method: 'PATCH', url: `/v1/merchants/${m.id}`, headers: operator, payload: { name: '新商店' } })
  t.match(renamed.json(), { name: '新商店', settings: { thresholds: { elevated: 10, high: 60 } } })
})

t.test('merchants: paging is keyset by id and complete', async (t) => {
  const { app } = await build(t)
  const ids = new Set<string>()
  for (let i = 0; i < 5; i++) ids.add((await createMerchant(app, `shop ${i}`)).id)
  const seen: string[] = []
  let after: string | null = null
  do {
    const res = await app.inject({ method: 'GET', url: '/v1/merchants', headers: operator, query: { limit: '2', ...(after !== null ? { after } : {}) } })
    t.equal(res.statusCode, 200)
    const page = res.json() as { items: Array<{ id: string }>; nextCursor: string | null }
    t.ok(page.items.length <= 2)
    seen.push(...page.items.map((i) => i.id))
    after = page.nextCursor
  } while (after !== null)
  t.same(new Set(seen), ids)
  t.same(seen, [...seen].sort(), 'ordered by id')
})

t.test('merchants: bad input names each field', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({
    method: 'POST', url: '/v1/merchants', headers: operator,
    payload: { name: '', colour: 'red', settings: { thresholds: { elevated: 0, high: '50' } } },
  })
  assertProblem(t, res, 'VALIDATION_FAILED', {
    instance: '/v1/merchants',
    errors: [
      { path: 'body.name', message: /fewer than 1/ },
      { path: 'body.colour', message: 'is not a recognised field' },
      { path: 'body.settings.thresholds.elevated', message: />= 1/ },
      { path: 'body.settings.thresholds.high', message: /integer/ },
    ],
  })

  const missing = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: {} })
  assertProblem(t, missing, 'VALIDATION_FAILED', { errors: [{ path: 'body.name', message: 'is required' }] })

  const blank = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: '   ' } })
  assertProblem(t, blank, 'VALIDATION_FAILED', { errors: [{ path: 'body.name', message: /pattern/ }] })

  const inverted = await app.inject({
    method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: 'x', settings: { thresholds: { elevated: 60 } } },
  })
  assertProblem(t, inverted, 'VALIDATION_FAILED', { errors: [{ path: 'body.settings.thresholds.elevated', message: 'must be below high (50)' }] })

  const m = await createMerchant(app)
  const emptyPatch = await app.inject({ method: 'PATCH', url: `/v1/merchants/${m.id}`, headers: operator, payload: {} })
  assertProblem(t, emptyPatch, 'VALIDATION_FAILED')
  const patchInverted = await app.inject({
    method: 'PATCH', url: `/v1/merchants/${m.id}`, headers: operator, payload: { settings: { thresholds: { high: 10 } } },
  })
  assertProblem(t, patchInverted, 'VALIDATION_FAILED', { errors: [{ path: 'body.settings.thresholds.elevated', message: 'must be below high (10)' }] })
  const after = await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: operator })
  t.same(after.json().settings, { thresholds: { elevated: 10, high: 50 }, retentionDays: 400, rules: { publishRequiresSecondKey: false } }, 'a refused update changes nothing')

  const badId = await app.inject({ method: 'GET', url: '/v1/merchants/not-a-uuid', headers: operator })
  assertProblem(t, badId, 'VALIDATION_FAILED', { errors: [{ path: 'path.id', message: 'must be a valid uuid' }] })

  const badLimit = await app.inject({ method: 'GET', url: '/v1/merchants?limit=0', headers: operator })
  assertProblem(t, badLimit, 'VALIDATION_FAILED', { errors: [{ path: 'query.limit', message: />= 1/ }] })
})

t.test('tenancy: a key reads its own merchant only; another merchant is 404, operator routes are 403', async (t) => {
  const { app } = await build(t)
  const a = await createMerchant(app, 'A')
  const b = await createMerchant(app, 'B')
  const keyA = await createKey(app, a.id, { preset: 'shipping' })

  const own = await app.inject({ method: 'GET', url: `/v1/merchants/${a.id}`, headers: bearer(keyA.key) })
  t.equal(own.statusCode, 200)
  t.equal(own.json().id, a.id)

  const other = await app.inject({ method: 'GET', url: `/v1/merchants/${b.id}`, headers: bearer(keyA.key) })
  assertProblem(t, other, 'NOT_FOUND', { instance: `/v1/merchants/${b.id}` })
  const nobody = '00000000-0000-4000-8000-000000000000'
  const missing = await app.inject({ method: 'GET', url: `/v1/merchants/${nobody}`, headers: bearer(keyA.key) })
  assertProblem(t, missing, 'NOT_FOUND', { detail: `No merchant ${nobody}` })
  const { requestId: _a, instance: _b, detail: otherDetail, ...otherRest } = other.json()
  const { requestId: _c, instance: _d, detail: missingDetail, ...missingRest } = missing.json()
  t.same(otherRest, missingRest, 'another merchant looks exactly like no merchant')
  t.equal(otherDetail, `No merchant ${b.id}`)
  t.equal(missingDetail, `No merchant ${nobody}`)

  for (const [method, url] of [
    ['GET', '/v1/merchants'],
    ['POST', '/v1/merchants'],
    ['PATCH', `/v1/merchants/${a.id}`],
    ['GET', `/v1/merchants/${a.id}/api-keys`],
    ['POST', `/v1/merchants/${a.id}/api-keys`],
    ['DELETE', `/v1/merchants/${a.id}/api-keys/${keyA.id}`],
  ] as const) {
    const res = await app.inject({ method, url, headers: bearer(keyA.key), payload: method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' } })
    assertProblem(t, res, 'FORBIDDEN', { detail: 'This operation needs the operator credential' })
  }
  const still = await app.inject({ method: 'GET', url: `/v1/merchants/${a.id}/api-keys`, headers: operator })
  t.equal(still.json().items[0].status, 'active', 'the forbidden DELETE revoked nothing')
})

t.test('unknown merchant for the operator is 404 on every merchant route', async (t) => {
  const { app } = await build(t)
  const id = '00000000-0000-4000-8000-000000000000'
  for (const [method, url, payload] of [
    ['GET', `/v1/merchants/${id}`, undefined],
    ['PATCH', `/v1/merchants/${id}`, { name: 'x' }],
    ['GET', `/v1/merchants/${id}/api-keys`, undefined],
    ['POST', `/v1/merchants/${id}/api-keys`, { preset: 'full' }],
    ['DELETE', `/v1/merchants/${id}/api-keys/${id}`, undefined],
  ] as const) {
    assertProblem(t, await app.inject({ method, url, headers: operator, payload }), 'NOT_FOUND')
  }
})
