// Hostile requests for each operation of the document: one part made hostile at a time (body,
// raw bytes, CSV, path, query, headers, an unexpected body), the rest kept valid so the hostile
// part is what the service has to face; plus unknown paths and methods a route does not have.
import { METHODS } from 'node:http'
import fc from 'fast-check'
import { csvBody, csvGarbage, mutatedJson, rawJson, validJson, type Body } from './bodies.js'
import { hostileKey, hostileString, hostileValue, writeJson } from './hostile.js'
import { PATHS, validArb, type Operation, type Param } from './openapi-schema.js'

export type PathValue = { pool: string } | { literal: string }
export type Credential = 'valid' | 'none' | 'operator' | 'merchant' | { header: string }

export type FuzzRequest = {
  /** What the generator made hostile: the report's bucket. */
  focus: string
  op: string
  method: string
  path: string
  pathValues: Record<string, PathValue>
  query: string
  credential: Credential
  headers: Record<string, string>
  body?: Body
}

/** Percent-encoding that never throws (encodeURIComponent does on a lone surrogate: it goes as U+FFFD, as UTF-8 would carry it). */
export const pct = (s: string): string => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))

/** What HTTP can carry in a header value: visible ASCII, space, tab and obs-text. */
const headerSafe = (s: string): string => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')

/** The pool of real ids a path parameter draws from: its path up to and including the parameter. */
export const poolKey = (path: string, name: string): string => path.slice(0, path.indexOf(`{${name}}`) + name.length + 2)

const asText = (v: unknown): string => (typeof v === 'string' ? v : writeJson(v))

const hostileSegment: fc.Arbitrary<PathValue> = fc.oneof(
  hostileString.map((s) => ({ literal: pct(s) })),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%2f..%2f', '..', '.', '%2e%2e', 'a/b', ';', '%3B', '%23', ' ', '%20', '+',
    'x'.repeat(101), 'x'.repeat(10_000), 'A'.repeat(100_000), '0', '-1', '1e309', '18446744073709551616', '%C0%AF', '%ED%A0%80',
    '00000000-0000-0000-0000-00000000000g', '{id}', ':id', '*').map((literal) => ({ literal })),
  fc.uuid().map((u) => ({ literal: u.toUpperCase() })),
  fc.uuid().map((u) => ({ literal: u.replaceAll('-', '') })),
)

export function validQuery (op: Operation): fc.Arbitrary<Array<[string, string]>> {
  const query = op.params.filter((p) => p.in === 'query')
  return fc.tuple(...query.map((p) => (p.required ? validArb(p.schema, p.name).map((v) => [v]) : fc.option(validArb(p.schema, p.name), { nil: undefined }).map((v) => (v === undefined ? [] : [v])))))
    .map((values) => values.flatMap((vs, i) => vs.map((v) => [query[i]!.name, asText(v)] as [string, string])))
}

export const writeQuery = (pairs: Array<[string, string]>): string => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')

function hostileQuery (op: Operation): fc.Arbitrary<string> {
  const names = [...op.params.filter((p) => p.in === 'query').map((p) => p.name), 'limit']
  const name = fc.constantFrom(...names)
  return fc.tuple(validQuery(op).map(writeQuery), fc.oneof(
    fc.tuple(name, hostileValue).map(([n, v]) => `${pct(n)}=${pct(asText(v))}`),
    fc.tuple(name, hostileString, hostileString).map(([n, a, b]) => `${pct(n)}=${pct(a)}&${pct(n)}=${pct(b)}`),
    fc.tuple(hostileKey, hostileString).map(([k, v]) => `${pct(k)}=${pct(v)}`),
    name.chain((n) => fc.constantFrom(n, `${n}=`, '=1', '&&&', `${n}=%ZZ`, `${n}=%FF`, `${n}=%E0%A4%A`, `${n}=%00`, `${n}[]=1`, `${n}[a]=1`,
      '__proto__=1', '__proto__[x]=1', 'constructor[prototype][x]=1', `${n}=1;${n}=2`, `${n}=1e309`, `${n}=-0`, `${n}=18446744073709551616`,
      `${n}=0x10`, `${n}=+1`, `${n}=%201`, `${n}=1.0`, `${n}=01`, `${n}=%27%20OR%201%3D1%20--`, `${n}=${'9'.repeat(400)}`, `${n}=${'x'.repeat(100_000)}`)),
    fc.constant(Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&')),
  )).map(([valid, bad]) => [valid, bad].filter((s) => s !== '').join('&'))
}

const CONTENT_TYPES = [
  'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16',
  'APPLICATION/JSON', 'application/json;;;', 'application/jsonx', '*/*', '', 'text/csv', 'application/json', 'text/csv; charset=shift_jis',
  'application/problem+json', 'application/vnd.api+json', 'application/octet-stream', 'text/csv;charset=\u00ff', 'application/json; charset="', 'json',
]

const hostileHeaders: fc.Arbitrary<{ credential: Credential; headers: Record<string, string> }> = fc.oneof(
  fc.constantFrom<Credential>('none', 'operator', 'merchant', { header: 'Basic dXNlcjpwYXNz' }, { header: 'Bearer' }, { header: 'Bearer ' },
    { header: 'Bearer a b' }, { header: `Bearer ${'A'.repeat(10_000)}` }, { header: 'Bearer shinsa_' }, { header: 'Bearer \u00ff\u00fe' },
    { header: "Bearer ' OR 1=1 --" }, { header: 'Token abc' }, { header: '' }).map((credential) => ({ credential, headers: {} })),
  hostileString.map((s) => ({ credential: { header: `Bearer ${headerSafe(s)}` } as Credential, headers: {} })),
  fc.record({
    'content-type': fc.constantFrom(...CONTENT_TYPES),
    accept: fc.constantFrom('text/csv', 'application/xml', '*/*', 'text/html', '', 'application/problem+json', ';;;', 'text/csv;q=0'),
    'x-request-id': fc.oneof(hostileString.map(headerSafe), fc.constantFrom('a'.repeat(129), 'trace-1', '../../x')),
    'content-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'x-garbage'),
    'content-length': fc.constantFrom('0', '-1', '99999999999', 'abc', '1e3', '5'),
    'x-http-method-override': fc.constantFrom('DELETE', 'PUT'),
    cookie: fc.constant(`a=${'b'.repeat(10_000)}`),
    'x-forwarded-for': hostileString.map(headerSafe),
    // Repeats across operations and bodies: reused, quoted, empty and overlong keys.
    'idempotency-key': fc.oneof(hostileString.map(headerSafe), fc.constantFrom('fuzz-key', '"fuzz-key"', '""', 'k'.repeat(256), ' ')),
    host: fc.constantFrom('evil.example', '', 'localhost:99999', '[::1]', 'a'.repeat(1000)),
  }, { requiredKeys: [] }).map((headers) => ({ credential: 'valid' as Credential, headers })),
)

/** Every part valid-ish (ids from the pools); the base each hostile variant departs from. */
function base (op: Operation) {
  const pathParams = op.params.filter((p) => p.in === 'path')
  return fc.record({
    pathValues: fc.constant(Object.fromEntries(pathParams.map((p) => [p.name, { pool: poolKey(op.path, p.name) }]))),
    query: validQuery(op).map(writeQuery),
    viaOperator: fc.boolean(),
  }).map(({ pathValues, query, viaOperator }) => ({
    op: op.id, method: op.method, path: op.path, pathValues: pathValues as Record<string, PathValue>, query,
    credential: (op.auth === 'either' ? (viaOperator ? 'operator' : 'merchant') : 'valid') as Credential,
    headers: {} as Record<string, string>,
  }))
}

const withBody = (type: string, body: Body) => ({ headers: { 'content-type': type }, body })

export function operationRequests (op: Operation, header: string | undefined): fc.Arbitrary<FuzzRequest> {
  const json = op.bodies.find((b) => b.type === 'application/json')
  const csv = op.bodies.find((b) => b.type === 'text/csv')
  const pathParams: Param[] = op.params.filter((p) => p.in === 'path')
  const normalBody = json !== undefined ? validJson(json.schema).map((b) => withBody('application/json', b))
    : csv !== undefined ? csvBody(header).map((b) => withBody('text/csv', b)) : fc.constant({ headers: {}, body: undefined })
  const variants: Array<fc.WeightedArbitrary<{ focus: string; part: Partial<FuzzRequest> }>> = [
    { weight: 3, arbitrary: normalBody.map((b) => ({ focus: 'valid-ish', part: b })) },
    { weight: 10, arbitrary: fc.tuple(hostileHeaders, normalBody).map(([h, b]) => ({ focus: 'headers', part: { credential: h.credential, headers: { ...b.headers, ...h.headers }, body: b.body } })) },
    { weight: 8, arbitrary: fc.tuple(hostileQuery(op), normalBody).map(([query, b]) => ({ focus: 'query', part: { query, ...b } })) },
  ]
  if (pathParams.length > 0) {
    const values = fc.tuple(...pathParams.map(() => fc.oneof({ weight: 1, arbitrary: fc.constant<PathValue | null>(null) }, { weight: 2, arbitrary: hostileSegment })))
    variants.push({ weight: 10, arbitrary: fc.tuple(values, normalBody).map(([vs, b]) => ({
      focus: 'path', part: { pathValues: Object.fromEntries(vs.flatMap((v, i) => (v === null ? [] : [[pathParams[i]!.name, v]]))), ...b },
    })) })
  }
  if (json !== undefined) {
    variants.push({ weight: 45, arbitrary: mutatedJson(json.schema).map((b) => ({ focus: 'json-mutation', part: withBody('application/json', b) })) })
    variants.push({ weight: 15, arbitrary: rawJson(json.schema).map((b) => ({ focus: 'json-bytes', part: withBody('application/json', b) })) })
  }
  if (csv !== undefined) {
    variants.push({ weight: 45, arbitrary: csvBody(header).map((b) => ({ focus: 'csv', part: withBody('text/csv', b) })) })
    variants.push({ weight: 8, arbitrary: csvGarbage.map((b) => ({ focus: 'csv-bytes', part: withBody('text/csv', b) })) })
  }
  if (op.bodies.length === 0) {
    const stray = fc.oneof(mutatedJson({}).map((b) => withBody('application/json', b)), rawJson({}).map((b) => withBody('application/json', b)),
      csvGarbage.map((b) => withBody('text/csv', b)))
    variants.push({ weight: 8, arbitrary: stray.map((part) => ({ focus: 'unexpected-body', part })) })
  }
  return fc.tuple(base(op), fc.oneof(...variants)).map(([b, v]) => ({
    ...b, ...v.part, focus: v.focus, pathValues: { ...b.pathValues, ...v.part.pathValues }, headers: { ...b.headers, ...v.part.headers },
  }))
}

/** Methods light-my-request (and Node's HTTP parser) will carry. */
export const HTTP_METHODS = METHODS.filter((m) => !['CONNECT'].includes(m))

/** For every path of the document, each common method it does not define, with a valid credential. */
export function wrongMethods (ops: Operation[]): FuzzRequest[] {
  const out: FuzzRequest[] = []
  for (const path of PATHS) {
    const defined = new Set(ops.filter((o) => o.path === path).map((o) => o.method))
    if (defined.has('GET')) defined.add('HEAD')
    const first = ops.find((o) => o.path === path)
    if (first === undefined) continue
    const pathValues = Object.fromEntries(first.params.filter((p) => p.in === 'path').map((p) => [p.name, { pool: poolKey(path, p.name) }]))
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'LOCK', 'PURGE']) {
      if (defined.has(method)) continue
      for (const credential of ['operator', 'merchant'] as const) {
        out.push({ focus: 'wrong-method', op: first.id, method, path, pathValues, query: '', credential, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: {} } })
      }
    }
  }
  return out
}

const unknownPath: fc.Arbitrary<string> = fc.oneof(
  fc.array(hostileString.map(pct), { minLength: 1, maxLength: 4 }).map((segs) => `/v1/${segs.join('/')}`),
  fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('nope', '..', '%2e%2e', '', 'x/y/z', '%00', 'results/extra', '\u00e9')).map(([p, tail]) => `${p.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')}/${pct(tail)}`),
  fc.constantFrom('/', '*', '//v1//merchants', '/V1/MERCHANTS', '/v2/merchants', '/v1/merchants/../merchants', '/v1/./merchants',
    '/%2e%2e/etc/passwd', '/docs/static/%2e%2e/%2e%2e/package.json', '/docs/..%2f..%2fpackage.json', '/v1/merchants%00', '/v1/merchants;x=1',
    `/${'a'.repeat(100_000)}`, '/openapi.json/../x', '/healthz/x', '/v1', '/v1/', '/v1/merchants/%ZZ', '/v1/fraud-addresses/imports/%ED%A0%80',
    '/v1/merchants\\..\\x', '/%EF%BB%BFv1/merchants', '/v1/%E2%80%AEstnahcrem', '/.env', '/.git/config', '/docs/json', '/docs/yaml'),
)

export const unknownRequests: fc.Arbitrary<FuzzRequest> = fc.record({
  path: unknownPath,
  method: fc.constantFrom(...HTTP_METHODS, 'GET', 'GET', 'POST', 'POST'),
  credential: fc.constantFrom<Credential>('operator', 'merchant', 'none'),
  query: fc.oneof(fc.constant(''), hostileString.map((s) => `q=${pct(s)}`)),
}).map(({ path, method, credential, query }) => ({
  focus: 'unknown-path', op: '(none)', method, path, pathValues: {}, query, credential, headers: {},
}))
