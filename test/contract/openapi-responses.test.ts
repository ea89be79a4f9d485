// The contract check itself: it passes what the document allows and catches each way an answer
// can depart from it — through build()'s inject, as every test uses it.
import t from 'tap'
import type { Test } from 'tap'
import { build, createMerchant, operator } from '../helper.js'
import { checkExchange } from './openapi-responses.js'

const problem = (status: number, requestId = 'r-1') => ({
  type: 'tag:x', title: 'x', status, detail: 'x', instance: '/v1/merchants/x', code: 'NOT_FOUND', requestId,
})
const json = { 'content-type': 'application/json; charset=utf-8' }
const problemJson = { 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': 'r-1' }

t.test('what the document allows passes', async (t) => {
  t.same(await checkExchange({ method: 'GET', url: '/healthz', status: 200, headers: json, body: '{"status":"ok"}' }), { operationId: 'getHealth', violations: [] })
  t.same((await checkExchange({ method: 'GET', url: '/v1/merchants/x?y=1', status: 404, headers: problemJson, body: JSON.stringify(problem(404)) })).violations, [])
  t.same((await checkExchange({ method: 'DELETE', url: '/v1/blocklist/x', status: 204, headers: {}, body: '' })).violations, [])
  t.same((await checkExchange({ method: 'HEAD', url: '/healthz', status: 200, headers: json, body: '' })).violations, [], 'HEAD: the GET operation, no body')
  t.same((await checkExchange({ method: 'GET', url: '/docs/', status: 200, headers: { 'content-type': 'text/html' }, body: '<html>' })).violations, [], 'no operation, no error: not the API')
})

t.test('each departure is caught', async (t) => {
  const cases: Array<[string, Parameters<typeof checkExchange>[0], RegExp]> = [
    ['undocumented status', { method: 'GET', url: '/v1/merchants/x', status: 418, headers: problemJson, body: JSON.stringify(problem(418)) }, /status 418 is not documented/],
    ['wrong media type', { method: 'GET', url: '/v1/merchants/x', status: 404, headers: json, body: JSON.stringify(problem(404)) }, /content-type application\/json, documented: application\/problem\+json/],
    ['body against the schema', { method: 'GET', url: '/healthz', status: 200, headers: json, body: '{"status":"ok","extra":1}' }, /must NOT have additional properties: "extra"/],
    ['not JSON', { method: 'GET', url: '/healthz', status: 200, headers: json, body: 'ok' }, /body is not JSON/],
    ['a body where none is documented', { method: 'DELETE', url: '/v1/blocklist/x', status: 204, headers: {}, body: 'x' }, /documents no body/],
    ['problem status is not the HTTP status', { method: 'GET', url: '/v1/merchants/x', status: 404, headers: problemJson, body: JSON.stringify(problem(400)) }, /\/status 400 is not the HTTP status/],
    ['requestId is not the header', { method: 'GET', url: '/v1/merchants/x', status: 404, headers: problemJson, body: JSON.stringify(problem(404, 'other')) }, /requestId does not echo/],
    ['no operation: an error must be a problem', { method: 'GET', url: '/nowhere', status: 404, headers: json, body: '{"message":"no"}' }, /not application\/problem\+json/],
    ['no operation: the Problem schema', { method: 'GET', url: '/nowhere', status: 404, headers: problemJson, body: '{"code":"NOPE"}' }, /must have required property 'type'/],
  ]
  for (const [name, exchange, expected] of cases) {
    t.match((await checkExchange(exchange)).violations.join('; '), expected, name)
  }
})

t.test('build(): a response that breaks the document fails the test that got it, with method, url and status', async (t) => {
  const failures: string[] = []
  const spy = { teardown: t.teardown.bind(t), fail: (message: string) => { failures.push(message) } } as unknown as Test
  const { app } = await build(spy)
  // A route with no operation answering an error that is not a problem document.
  app.get('/teapot', async (_req, reply) => reply.code(418).send({ message: 'short and stout' }))
  app.get('/gone', async (_req, reply) => reply.code(410).send({ message: 'gone' }))
  const m = await createMerchant(app)
  t.same(failures, [], 'a documented answer passes')
  await app.inject({ method: 'GET', url: '/teapot' })
  t.match(failures, [/^OpenAPI: GET \/teapot → 418 \(no operation\): content-type application\/json/])
  t.equal((await app.inject({ method: 'GET', url: `/v1/merchants/${m.id}`, headers: operator })).statusCode, 200)
  await app.inject({ method: 'GET', url: '/teapot?again=1' })
  t.equal(failures.length, 1, 'the same violation again is not reported again')
  // The callback form is checked too.
  const status = await new Promise((resolve, reject) => app.inject({ method: 'GET', url: '/gone' }, (err, res) => err != null ? reject(err) : resolve(res?.statusCode)))
  t.equal(status, 410)
  t.match(failures[1], /^OpenAPI: GET \/gone → 410/)
})
