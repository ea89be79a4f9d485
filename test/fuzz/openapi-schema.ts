// openapi/openapi.json read as the fuzz test needs it: every operation with its parameters, body
// media types, the credential it takes, and a fast-check arbitrary of valid-ish values for a
// schema ($refs into components resolved) — the skeleton each hostile request mutates.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'

export type Schema = Record<string, any>
export type Param = { name: string; in: string; required: boolean; schema: Schema }
export type Auth = 'operator' | 'merchant' | 'either' | 'none'
export type Operation = {
  id: string
  method: string
  path: string
  params: Param[]
  bodies: Array<{ type: string; schema: Schema }>
  description: string
  auth: Auth
}

export const OPENAPI = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as Schema

/** A schema with its $ref followed (siblings such as description kept); nested refs stay for later. */
export function deref (schema: Schema | undefined): Schema {
  let s = schema ?? {}
  for (let hops = 0; typeof s.$ref === 'string' && hops < 20; hops++) {
    const name = (s.$ref as string).replace('#/components/schemas/', '')
    const { $ref: _ref, ...siblings } = s
    s = { ...OPENAPI.components.schemas[name], ...siblings }
  }
  return s
}

function authOf (security: Array<Record<string, unknown>> | undefined): Auth {
  const schemes = new Set((security ?? []).flatMap((r) => Object.keys(r)))
  if (schemes.has('operatorToken') && schemes.has('apiKey')) return 'either'
  if (schemes.has('operatorToken')) return 'operator'
  return schemes.has('apiKey') ? 'merchant' : 'none'
}

export function operations (): Operation[] {
  const out: Operation[] = []
  for (const [path, item] of Object.entries<Schema>(OPENAPI.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!['get', 'put', 'post', 'patch', 'delete', 'head', 'options'].includes(method)) continue
      const content = (op.requestBody?.content ?? {}) as Record<string, { schema: Schema }>
      out.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        params: ((op.parameters ?? []) as Param[]).map((p) => ({ ...p, schema: deref(p.schema) })),
        bodies: Object.entries(content).map(([type, c]) => ({ type, schema: c.schema })),
        description: `${op.summary ?? ''} ${op.description ?? ''}`,
        auth: authOf(op.security),
      })
    }
  }
  return out
}

/** The path templates of the document, for telling a 404 route from a 405 method. */
export const PATHS = Object.keys(OPENAPI.paths as object)

// Examples the document gives in descriptions ("都道府県, e.g. 東京都"): the likeliest valid values.
function examples (s: Schema): string[] {
  const m = /e\.g\.\s+(.+)$/.exec(String(s.description ?? ''))
  if (m === null) return []
  return m[1]!.replace(/\s*\(.*$/, '').split(/,\s*/).map((x) => x.trim()).filter((x) => x.length > 0 && fits(s, x))
}

const patterns = new Map<string, RegExp>()
const pattern = (p: string): RegExp => patterns.get(p) ?? patterns.set(p, new RegExp(p, 'u')).get(p)!

function fits (s: Schema, x: string): boolean {
  const n = [...x].length
  return n >= (s.minLength ?? 0) && n <= (s.maxLength ?? Infinity) && (s.pattern === undefined || pattern(s.pattern).test(x))
}

// Fields whose meaning the schema leaves to prose; a plausible value reaches further than noise.
const HINTS: Record<string, fc.Arbitrary<string>> = {
  email: fc.emailAddress(),
  phone: fc.constantFrom('03-3210-1234', '090-1234-5678', '+81 90 1234 5678', '0120-000-000'),
  ip: fc.oneof(fc.ipV4(), fc.ipV6()),
  url: fc.constantFrom('https://hooks.example.com/shinsa', 'https://203.0.113.9/x', 'http://127.0.0.1:9/', 'https://example.jp/a?b=c'),
  name: fc.constantFrom('山田 太郎', 'ヤマダ タロウ', 'Taro Yamada', 'テスト商店'),
  nameKana: fc.constantFrom('ヤマダ タロウ', 'やまだ たろう', 'ﾔﾏﾀﾞ ﾀﾛｳ'),
  line: fc.constantFrom('東京都千代田区丸の内1-1-1', '大阪府大阪市北区梅田3丁目1番3号', '東京都渋谷区道玄坂一丁目二番三号 101号室'),
  value: fc.constantFrom('fraud@example.com', '@example.com', '09012345678', '203.0.113.0/24', '401234', '東京都千代田区丸の内1-1-1'),
  category: fc.constantFrom('books', 'brand', 'jewelry', 'camera', 'pc', 'game', 'watch'),
}

function stringArb (s: Schema, hint?: string): fc.Arbitrary<string> {
  if (s.format === 'uuid') return fc.uuid({ version: 4 })
  if (s.format === 'date-time') {
    return fc.date({ min: new Date('2020-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString())
  }
  if (s.format === 'email' || (hint !== undefined && HINTS[hint] !== undefined)) {
    const base = s.format === 'email' ? HINTS.email! : HINTS[hint!]!
    return base.filter((x) => fits({ ...s, pattern: undefined }, x))
  }
  const min = s.minLength ?? 0
  const max = Math.max(min, Math.min(s.maxLength ?? 40, 40))
  const generic = s.pattern !== undefined
    ? fc.stringMatching(new RegExp(s.pattern)).filter((x) => fits(s, x))
    : fc.string({ unit: 'grapheme', minLength: min, maxLength: max })
  const given = examples(s)
  return given.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...given), weight: 4 }, { arbitrary: generic, weight: 1 }) : generic
}

/** Valid-ish values of a schema: what the document asks for, most of the time. */
export function validArb (schema: Schema | undefined, hint?: string): fc.Arbitrary<unknown> {
  const s = deref(schema)
  if (s.const !== undefined) return fc.constant(s.const)
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]))
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined
  if (alternatives !== undefined) return fc.oneof(...alternatives.map((a) => validArb(a, hint)))
  switch (s.type) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Schema>
      const shape = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validArb(v, k)]))
      const required = (s.required ?? []) as string[]
      const random = fc.record(shape, { requiredKeys: required }) as fc.Arbitrary<unknown>
      if (required.length > 0) return random
      // All optional (an address: "either line, or the parts"): the fields the document gives
      // examples for are the ones a typical request fills in; half the time, take those.
      const exemplified = Object.keys(props).filter((k) => examples(deref(props[k])).length > 0)
      if (exemplified.length === 0) return random
      const typical = fc.record(Object.fromEntries(exemplified.map((k) => [k, shape[k]!])), { requiredKeys: exemplified }) as fc.Arbitrary<unknown>
      return fc.oneof(random, typical)
    }
    case 'array': {
      const min = s.minItems ?? 0
      const max = Math.max(min, Math.min(s.maxItems ?? 3, 3))
      const item = validArb(s.items, hint)
      return s.uniqueItems === true
        ? fc.uniqueArray(item, { minLength: min, maxLength: max, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength: min, maxLength: max })
    }
    case 'integer': return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 })
    case 'number': return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true })
    case 'boolean': return fc.boolean()
    case 'string': return stringArb(s, hint)
    default: return fc.jsonValue({ maxDepth: 2 })
  }
}
