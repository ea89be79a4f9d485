// The problem document of every error class the foundation can answer.
import t from 'tap'
import { AppError } from '../../src/errors.js'
import { assertProblem, build, createMerchant, operator } from '../helper.js'

t.test('every error class answers a whole RFC 9457 problem', async (t) => {
  const { app, logs } = await build(t)
  app.get('/boom', async () => { throw new Error('secret internals: password=hunter2') })
  app.get('/refused', async () => { throw new AppError('CARD_NUMBER_REFUSED', 'card.bin holds a full card number') })
  app.get('/db-down', async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) })
  const m = await createMerchant(app)

  // 400 schema
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: 7 } }),
    'VALIDATION_FAILED', { detail: '1 field failed validation: body.name must be string', errors: [{ path: 'body.name', message: 'must be string' }] })
  // 400 unparsable
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/merchants', headers: { ...operator, 'content-type': 'application/json' }, payload: '{"name":' }),
    'MALFORMED_BODY', { instance: '/v1/merchants' })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/merchants', headers: { ...operator, 'content-type': 'application/json' }, payload: '' }),
    'MALFORMED_BODY')
  // 401
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/merchants' }), 'UNAUTHORIZED')
  // 404: unknown route and unknown resource
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' }), 'NOT_FOUND', { instance: '/v1/nothing-here', detail: 'No route GET /v1/nothing-here' })
  // 405 with Allow
  const put = await app.inject({ method: 'PUT', url: `/v1/merchants/${m.id}`, headers: operator, payload: {} })
  assertProblem(t, put, 'METHOD_NOT_ALLOWED')
  t.equal(put.headers.allow, 'GET, HEAD, PATCH')
  const del = await app.inject({ method: 'DELETE', url: '/v1/merchants', headers: operator })
  assertProblem(t, del, 'METHOD_NOT_ALLOWED')
  t.equal(del.headers.allow, 'GET, HEAD, POST')
  // 413 over the 256 kB JSON limit
  const big = JSON.stringify({ name: 'x'.repeat(300 * 1024) })
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/merchants', headers: { ...operator, 'content-type': 'application/json' }, payload: big }),
    'PAYLOAD_TOO_LARGE')
  // 415
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/merchants', headers: { ...operator, 'content-type': 'application/xml' }, payload: '<name/>' }),
    'UNSUPPORTED_MEDIA_TYPE')
  // 422 domain refusal
  assertProblem(t, await app.inject({ method: 'GET', url: '/refused' }), 'CARD_NUMBER_REFUSED', { detail: 'card.bin holds a full card number' })
  // 500 without internals, logged whole
  const boom = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'trace-500' } })
  assertProblem(t, boom, 'INTERNAL', { detail: 'An internal error occurred; quote the requestId when reporting it' })
  t.notMatch(boom.body, /hunter2|internals|stack/)
  t.equal(boom.json().requestId, 'trace-500')
  t.ok(logs().some((l) => l.requestId === 'trace-500' && l.level === 50 && /hunter2/.test(JSON.stringify(l.err))), 'the cause is logged')
  // 503 when the database is the problem
  const down = await app.inject({ method: 'GET', url: '/db-down' })
  assertProblem(t, down, 'DATABASE_UNAVAILABLE')
  t.equal(down.headers['retry-after'], '5')
  // An outage is a flood of these: counted, one summary a second with the first cause, no line each.
  for (let i = 0; i < 4; i++) await app.inject({ method: 'GET', url: '/db-down' })
  await new Promise((resolve) => setTimeout(resolve, 1100))
  t.same(logs().filter((l) => /database unavailable|request failed/.test(String(l.msg)) && l.requestId !== 'trace-500'), [], 'no line per request')
  const summaries = logs().filter((l) => l.msg === 'requests answered 503 in the last second') as any[]
  const counted = summaries.reduce((n, l) => n + Number(l.unavailable?.DATABASE_UNAVAILABLE?.ECONNREFUSED ?? 0), 0)
  t.equal(counted, 5, 'the summaries count the 5 answers by cause')
  t.equal(summaries[0]?.err?.code, 'ECONNREFUSED', 'with the first error of the second')
})

t.test('framework and plugin client errors are problems too', async (t) => {
  const { app } = await build(t)
  app.get('/teapot', async () => { throw Object.assign(new Error('short and stout'), { statusCode: 418 }) })
  app.get('/conflict', async () => { throw Object.assign(new Error('already there'), { statusCode: 409 }) })
  const badUrl = await app.inject({ method: 'GET', url: '/v1/merchants/%zz', headers: operator })
  assertProblem(t, badUrl, 'BAD_REQUEST', { detail: 'The URL cannot be decoded' })
  assertProblem(t, await app.inject({ method: 'GET', url: '/teapot' }), 'BAD_REQUEST', { detail: 'short and stout' })
  assertProblem(t, await app.inject({ method: 'GET', url: '/conflict' }), 'CONFLICT', { detail: 'already there' })
})

t.test('x-request-id: a sane caller id is echoed, anything else is replaced', async (t) => {
  const { app } = await build(t)
  const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'gw-123:abc.def' } })
  t.equal(kept.headers['x-request-id'], 'gw-123:abc.def')
  const replaced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\twith spaces' } })
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const generated = await app.inject({ method: 'GET', url: '/healthz' })
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})
