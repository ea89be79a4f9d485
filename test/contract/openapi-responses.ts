// The contract check behind test/helper.ts: every response a test receives is held against
// openapi/openapi.json — the operation it answered, its status, content type and JSON body.
// Bodies go through openapi-backend's response validator on Ajv's JSON Schema 2020-12 dialect.
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { OpenAPIBackend, type Operation } from 'openapi-backend'
import { TOLERATED } from './tolerated.js'

/** One request and its answer as the test saw them. */
export type Exchange = { method: string; url: string; status: number; headers: Record<string, unknown>; body: string }
export type Verdict = { operationId?: string; violations: string[] }

type Media = Record<string, { schema?: unknown }>
type Responses = Record<string, { content?: Media }>

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json')

/**
 * Ajv for JSON Schema 2020-12, OpenAPI 3.1's dialect. openapi-backend compiles every status of
 * an operation from a fresh copy of its inlined schemas, so the shared Problem schema would be
 * compiled some 250 times per process: a schema seen before reuses its compiled function.
 */
function ajv2020 (): Ajv2020 {
  // strict off: OpenAPI 3.1 schemas may carry annotations Ajv does not know (example, x-*).
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true })
  // ajv-formats is CommonJS: its function is the default export's default under NodeNext.
  ;(formats as unknown as { default: (a: Ajv2020) => void }).default(ajv)
  const compile = ajv.compile.bind(ajv) as (schema: object) => ValidateFunction
  const compiled = new Map<string, ValidateFunction>()
  ajv.compile = ((schema: object) => {
    const key = JSON.stringify(schema)
    let fn = compiled.get(key)
    if (fn === undefined) compiled.set(key, fn = compile(schema))
    return fn
  }) as Ajv2020['compile']
  return ajv
}

type Route = { op: Operation; method: string; pattern: RegExp; literal: number }
type Contract = { api: OpenAPIBackend; routes: Route[]; original: { paths: Record<string, Record<string, { responses?: Responses }>> }; problem: ValidateFunction }
let loaded: Promise<Contract> | undefined

/** The document, dereferenced and compiled once per test process (validators lazily per operation). */
export function contract (): Promise<Contract> {
  loaded ??= load()
  return loaded
}

async function load (): Promise<Contract> {
  const text = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')
  const original = JSON.parse(text)
  // openapi-backend validates only `application/json` bodies: for the validator's copy, each
  // response's JSON media type (application/problem+json here) is also filed under that name.
  // The original document still decides which content types a response may have.
  const copy = JSON.parse(text)
  for (const item of Object.values<Record<string, { responses?: Responses }>>(copy.paths)) {
    for (const op of Object.values(item)) {
      for (const response of Object.values(op.responses ?? {})) {
        const json = Object.keys(response.content ?? {}).filter(isJson)
        if (json.length > 1) throw new Error(`contract: one response with two JSON media types (${json.join(', ')}) cannot be checked`)
        if (json.length === 1 && json[0] !== 'application/json') response.content!['application/json'] = response.content![json[0]!]!
      }
    }
  }
  // quick: skips openapi-backend's own check of the document, which knows only OpenAPI 3.0
  // (and fails on 3.1's info.summary); test/openapi.test.ts validates the document as 3.1.
  const ajv = ajv2020()
  const api = new OpenAPIBackend({ definition: copy, quick: true, strict: true, customizeAjv: () => ajv })
  await api.init()
  const problem = ajv.compile(api.definition.components!.schemas!.Problem as object)
  return { api, routes: routes(api), original, problem }
}

/**
 * openapi-backend's router.matchOperation, its patterns built once instead of on every call
 * (a third of a millisecond each, felt by the fuzz test's ten thousand requests): a literal
 * path first, then the template with the longest literal part. Trailing slashes are ignored,
 * as both that router and the app (routerOptions.ignoreTrailingSlash) ignore them.
 */
function routes (api: OpenAPIBackend): Route[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return api.router.getOperations().map((op) => ({
    op,
    method: op.method.toLowerCase(),
    pattern: new RegExp(`^${op.path.split(/\{[^}]+\}/).map(escape).join('[^/]+')}$`),
    literal: op.path.includes('{') ? op.path.replace(/\{[^}]+\}/g, '').length : Infinity,
  })).sort((a, b) => b.literal - a.literal)
}

function match (c: Contract, method: string, path: string): Operation | undefined {
  const m = method.toLowerCase()
  const bare = path.length > 1 ? path.replace(/\/+$/, '') || '/' : path
  return c.routes.find((r) => r.method === m && r.pattern.test(bare))?.op
}

/** `path message (the value)`: the value (verbose errors) is what a fix needs to see. */
const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => {
    const where = e.instancePath === '' ? '(body)' : e.instancePath
    const extra = e.keyword === 'additionalProperties'
      ? `: ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`
      : ['required', 'anyOf', 'oneOf'].includes(e.keyword) ? '' : `, got ${JSON.stringify(e.data)?.slice(0, 80)}`
    return `${where} ${e.message ?? e.keyword}${extra}`
  })

function header (headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value)
}

/** The JSON body, or the violation that it is not JSON. */
function parse (body: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(body) }
  } catch {
    return { error: `body is not JSON: ${body.slice(0, 80)}` }
  }
}

/** A problem document: its media type, the shared Problem schema, status and requestId as described there. */
function checkProblem (c: Contract, x: Exchange, type: string | undefined): string[] {
  if (type !== 'application/problem+json') return [`content-type ${type ?? '(none)'}, not application/problem+json`]
  const { value, error } = parse(x.body)
  if (error !== undefined) return [error]
  if (!c.problem(value)) return describe(c.problem.errors)
  const doc = value as { status: number; requestId: string }
  const out: string[] = []
  if (doc.status !== x.status) out.push(`/status ${doc.status} is not the HTTP status`)
  if (doc.requestId !== header(x.headers, 'x-request-id')) out.push('/requestId does not echo the x-request-id header')
  return out
}

/** Every way the answer departs from the document (after the tolerated ones are set aside). */
export async function checkExchange (x: Exchange): Promise<Verdict> {
  const c = await contract()
  const head = x.method === 'HEAD'
  const path = x.url.split('?')[0]!
  const op = match(c, head ? 'GET' : x.method, path)
  const type = header(x.headers, 'content-type')?.split(';')[0]!.trim().toLowerCase()
  let violations: string[]
  if (op === undefined) {
    // No operation (an unknown route, a method the path lacks, a route a test added): only
    // errors are API answers there, and every error is a problem document.
    violations = x.status >= 400 && !head ? checkProblem(c, x, type) : []
  } else {
    violations = checkOperation(c, op, x, type, head)
  }
  const id = op?.operationId
  violations = violations.filter((v) => !TOLERATED.some((t) => t.operation === (id ?? '(none)') && t.status === x.status && t.match.test(v)))
  return { operationId: id, violations }
}

function checkOperation (c: Contract, op: Operation, x: Exchange, type: string | undefined, head: boolean): string[] {
  const responses = c.original.paths[op.path]![op.method]!.responses ?? {}
  const key = [String(x.status), `${String(x.status)[0]}XX`, 'default'].find((k) => responses[k] !== undefined)
  if (key === undefined) return [`status ${x.status} is not documented (documented: ${Object.keys(responses).join(', ')})`]
  const media = Object.keys(responses[key]!.content ?? {})
  if (media.length === 0) return x.body === '' ? [] : [`status ${x.status} documents no body, got ${x.body.length} bytes`]
  if (type === undefined || !media.includes(type)) return [`content-type ${type ?? '(none)'}, documented: ${media.join(', ')}`]
  if (head || !isJson(type)) return []
  const { value, error } = parse(x.body)
  if (error !== undefined) return [error]
  const result = c.api.validator.validateResponse(value, op, x.status)
  const out = describe(result.errors)
  if (type === 'application/problem+json' && out.length === 0) out.push(...checkProblem(c, x, type))
  return out
}
