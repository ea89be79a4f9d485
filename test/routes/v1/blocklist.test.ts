// /v1/blocklist: create with normalized values, duplicates, list with paging and type filter,
// read, delete; refusals name the field; another merchant's entries are 404.
import t from 'tap'
import { assertProblem, bearer, build, createKey, createMerchant } from '../../helper.js'

async function setUp (t: Parameters<typeof build>[0]) {
  const built = await build(t)
  const m = await createMerchant(built.app)
  return { ...built, key: (await createKey(built.app, m.id)).key }
}

t.test('create normalizes; the same value again is 409', async (t) => {
  const { app, key } = await setUp(t)
  const cases: Array<[string, string, string]> = [
    ['email', ' Ta.Ro+x@GoogleMail.com ', 'taro@gmail.com'],
    ['email', '@Example.JP', '@example.jp'],
    ['phone', '090-1234-5678', '+819012345678'],
    ['name', 'やまだ　たろう', 'ヤマダタロウ'],
    ['card_bin', '4012-34', '401234'],
    ['ip', '203.0.113.9/24', '203.0.113.0/24'],
    ['ip', '2001:DB8::1', '2001:db8::1/128'],
    ['address', '東京都渋谷区道玄坂一丁目2番3号 202号室', '東京都渋谷区道玄坂#1-2-3|202'],
  ]
  for (const [type, value, normalized] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type, value, note: 'chargeback 2026-11' } })
    t.equal(res.statusCode, 201, `${type}: ${res.body}`)
    t.match(res.json(), { id: /^[0-9a-f-]{36}$/, type, value, normalized, note: 'chargeback 2026-11', createdAt: /Z$/ })
  }
  const dup = await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'phone', value: '+81 90 1234 5678' } })
  assertProblem(t, dup, 'CONFLICT', { detail: /already listed as entry [0-9a-f-]{36}/ })
})

t.test('values that cannot be normalized are refused with the field named', async (t) => {
  const { app, key } = await setUp(t)
  for (const [type, value, message] of [
    ['email', 'not-an-address', /e-mail/],
    ['phone', '12', /phone/],
    ['card_bin', '12345', /BIN/],
    ['ip', '300.1.1.1', /IP/],
    ['ip', '0.0.0.0/0', /too wide/],
    ['address', 'Mountain View, CA', /./],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type, value } })
    assertProblem(t, res, 'VALIDATION_FAILED', { errors: [{ path: 'body.value', message }] })
  }
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'ssn', value: 'x' } }), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.type', message: /one of/ }],
  })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'name', value: '4111111111111111' } }), 'CARD_NUMBER_REFUSED')
})

t.test('list pages newest first, filters by type; get and delete; tenancy', async (t) => {
  const { app, key } = await setUp(t)
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: i % 2 === 0 ? 'email' : 'card_bin', value: i % 2 === 0 ? `u${i}@example.jp` : `40000${i}` } })
    ids.push(res.json().id)
  }
  const seen: string[] = []
  let after: string | null = null
  do {
    const res: Awaited<ReturnType<typeof app.inject>> = await app.inject({ method: 'GET', url: `/v1/blocklist?limit=2${after === null ? '' : `&after=${after}`}`, headers: bearer(key) })
    t.equal(res.statusCode, 200, res.body)
    seen.push(...res.json().items.map((i: { id: string }) => i.id))
    after = res.json().nextCursor
  } while (after !== null)
  t.same([...seen].sort(), [...ids].sort(), 'every entry once across pages')
  const emails = await app.inject({ method: 'GET', url: '/v1/blocklist?type=email', headers: bearer(key) })
  t.equal(emails.json().items.length, 3)
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/blocklist?after=garbage', headers: bearer(key) }), 'VALIDATION_FAILED', { errors: [{ path: 'querystring.after', message: /nextCursor/ }] })

  const one = await app.inject({ method: 'GET', url: `/v1/blocklist/${ids[0]}`, headers: bearer(key) })
  t.match(one.json(), { id: ids[0], type: 'email', value: 'u0@example.jp' })
  const other = (await createKey(app, (await createMerchant(app, '他社')).id)).key
  assertProblem(t, await app.inject({ method: 'GET', url: `/v1/blocklist/${ids[0]}`, headers: bearer(other) }), 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/blocklist/${ids[0]}`, headers: bearer(other) }), 'NOT_FOUND')
  t.same((await app.inject({ method: 'GET', url: '/v1/blocklist', headers: bearer(other) })).json().items, [], 'another merchant sees none')
  const del = await app.inject({ method: 'DELETE', url: `/v1/blocklist/${ids[0]}`, headers: bearer(key) })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/blocklist/${ids[0]}`, headers: bearer(key) }), 'NOT_FOUND')
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/blocklist/not-a-uuid', headers: bearer(key) }), 'VALIDATION_FAILED', { errors: [{ path: 'path.id', message: /uuid/ }] })
})
