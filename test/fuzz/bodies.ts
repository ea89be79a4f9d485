// Request bodies for the fuzz test: a JSON skeleton from the operation's schema with mutations
// applied (fields dropped, retyped, added, made huge or deep), raw bytes that are not quite JSON,
// CSV uploads with hostile cells and broken encodings, and bodies sized against the limits.
import { Readable } from 'node:stream'
import fc from 'fast-check'
import iconv from 'iconv-lite'
import {
  Deep, MB, Raw, Repeat, edgeNumber, garbageBytes, hostileKey, hostileString, hostileValue, invalidUtf8, protoBodies,
  setKey, shortHostile, spliceBytes, writeJson,
} from './hostile.js'
import { validArb, type Schema } from './openapi-schema.js'

export type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'bytes'; bytes: Uint8Array; label: string }
  | { kind: 'lazy'; label: string; make: () => Buffer | Readable }

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Raw || v instanceof Repeat || v instanceof Deep)

/** A deep copy that keeps the lazy markers (immutable) as they are. */
function copy (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy)
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v)) setKey(out, k, copy(v[k]))
    return out
  }
  return v
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number }

/** Every place in a JSON value a mutation can reach (its root excluded: a root mutation replaces it). */
function slots (value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push({ parent: value, key: i }); slots(v, out) })
  else if (isPlainObject(value)) for (const k of Object.keys(value)) { out.push({ parent: value, key: k }); slots(value[k], out) }
  return out
}

// 'text' keeps the body valid but for one string's content: SQL, NUL, RTL … reach the handler.
const MUTATIONS = ['drop', 'drop', 'replace', 'replace', 'replace', 'text', 'text', 'text', 'add', 'add', 'number', 'root', 'huge', 'deep'] as const
type Mutation = { kind: (typeof MUTATIONS)[number]; pick: number; key: string; value: unknown; num: unknown; text: string }

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATIONS), pick: fc.nat(), key: hostileKey, value: hostileValue, num: edgeNumber, text: shortHostile,
})

function mutate (skeleton: unknown, mutations: Mutation[]): unknown {
  let root: unknown = copy(skeleton)
  for (const m of mutations) {
    const all = slots(root)
    const choose = (list: Slot[]): Slot | undefined => list[m.pick % Math.max(1, list.length)]
    const set = (s: Slot | undefined, v: unknown) => {
      v = copy(v)
      if (s === undefined) { root = v; return }
      if (Array.isArray(s.parent)) s.parent[s.key as number] = v
      else setKey(s.parent, s.key as string, v)
    }
    switch (m.kind) {
      case 'drop': {
        const s = choose(all.filter((x) => !Array.isArray(x.parent)))
        if (s !== undefined) delete (s.parent as Record<string, unknown>)[s.key as string]
        break
      }
      case 'replace': set(choose(all), m.value); break
      case 'text': set(choose(all.filter((x) => typeof (x.parent as any)[x.key] === 'string')) ?? choose(all), m.text); break
      case 'number': set(choose(all.filter((x) => typeof (x.parent as any)[x.key] === 'number')) ?? choose(all), m.num); break
      case 'add': {
        const objects = [root, ...all.map((s) => (s.parent as any)[s.key])].filter(isPlainObject)
        const target = objects[m.pick % Math.max(1, objects.length)]
        if (target !== undefined) setKey(target, m.key, copy(m.value))
        break
      }
      case 'root': root = copy(m.value); break
      case 'huge': set(choose(all.filter((x) => typeof (x.parent as any)[x.key] === 'string')) ?? choose(all), new Repeat('x', m.pick % 2 === 0 ? MB : 200_000)); break
      case 'deep': set(choose(all), new Deep(10_000, m.pick % 2 === 0 ? 'array' : 'object')); break
    }
  }
  return root
}

export function mutatedJson (schema: Schema): fc.Arbitrary<Body> {
  return fc.tuple(validArb(schema), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([skeleton, ms]) => ({ kind: 'json', value: mutate(skeleton, ms) }))
}

export function validJson (schema: Schema): fc.Arbitrary<Body> {
  return validArb(schema).map((value) => ({ kind: 'json', value }))
}

const bytes = (label: string, b: Uint8Array | string): Body => ({ kind: 'bytes', label, bytes: typeof b === 'string' ? Buffer.from(b) : b })

const NEAR_JSON = [
  '', ' ', '\n', 'null', '0', '""', '[]', '{}', '{', '}', "{'a':1}", 'NaN', '{"a":1}garbage', '\uFEFF{}', '{"a":1,}', '[1,]', '{"a" 1}',
  '"\\ud800"', '{"a":"\\u0000"}', '1e309', '-0', '{"a":1}{"b":2}', '/* */{}', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":0x1}',
  '{"a":"\\x41"}', '{"a":"\t"}', '[[[[[[[[[[', '\u0000', '{"":""}', 'true', '{"a":Infinity}',
]

/** Bytes that are almost, or not at all, the JSON the route wants. */
export function rawJson (schema: Schema): fc.Arbitrary<Body> {
  const skeleton = validArb(schema)
  return fc.oneof(
    garbageBytes.map((b) => bytes('garbage', b)),
    fc.constantFrom(...NEAR_JSON).map((s) => bytes('near-json', s)),
    fc.constantFrom(...protoBodies).map((s) => bytes('proto', s)),
    fc.tuple(skeleton, fc.double({ min: 0, max: 1, noNaN: true })).map(([v, at]) => {
      const text = writeJson(v)
      return bytes('truncated', text.slice(0, Math.floor(text.length * at)))
    }),
    // Invalid UTF-8 inside a string value, where a lenient decoder would quietly accept it.
    fc.tuple(skeleton.map(copy), invalidUtf8, fc.nat()).map(([v, bad, pick]) => {
      const strings = slots(v).filter((s) => typeof (s.parent as any)[s.key] === 'string')
      const s = strings[pick % Math.max(1, strings.length)]
      if (s === undefined) return bytes('invalid-utf8', spliceBytes(writeJson(v), bad, 0.5))
      ;(s.parent as any)[s.key] = 'FUZZ_BYTES_HERE'
      const [before, after] = writeJson(v).split('FUZZ_BYTES_HERE') as [string, string]
      return bytes('invalid-utf8-in-string', Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]))
    }),
    fc.tuple(skeleton, fc.boolean()).map(([v, bom]) => bytes('utf-16le', Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(writeJson(v), 'utf16le')]))),
    // The same key twice: which one wins must not matter to validation.
    skeleton.map((v) => {
      const text = writeJson(v)
      const first = /^\{("(?:[^"\\]|\\.)*"):/.exec(text)
      return bytes('duplicate-key', first === null ? text : `{${first[1]}:{"dup":true},${text.slice(1)}`)
    }),
  )
}

/** Bodies against the limits: just over, exactly at, and many small faults in one body. */
export function sizedJson (limit: number): Body[] {
  const padded = (size: number) => () => {
    const head = '{"x":"'
    return Buffer.from(head + 'A'.repeat(size - head.length - 2) + '"}')
  }
  return [
    { kind: 'lazy', label: `just over the limit (${limit + 1} bytes)`, make: padded(limit + 1) },
    { kind: 'lazy', label: `exactly the limit (${limit} bytes)`, make: padded(limit) },
    { kind: 'lazy', label: 'over the limit, streamed without content-length', make: () => Readable.from([Buffer.from('{"x":"'), Buffer.alloc(limit, 0x41), Buffer.from('"}')]) },
    { kind: 'lazy', label: '1 MB in one field', make: () => Buffer.from(writeJson({ name: new Repeat('A', MB) })) },
    { kind: 'lazy', label: '10,000 nested arrays', make: () => Buffer.from(writeJson(new Deep(10_000, 'array'))) },
    { kind: 'lazy', label: '10,000 nested objects', make: () => Buffer.from(writeJson(new Deep(10_000, 'object'))) },
    { kind: 'lazy', label: '90,000 nested arrays', make: () => Buffer.from(writeJson(new Deep(90_000, 'array'))) },
    { kind: 'lazy', label: '10,000 nested objects around __proto__', make: () => Buffer.from(writeJson(new Deep(10_000, 'object', new Raw('{"__proto__":{"x":1}}')))) },
    { kind: 'lazy', label: '15,000 unknown keys', make: () => Buffer.from(`{${Array.from({ length: 15_000 }, (_, i) => `"k${i}":0`).join(',')}}`) },
    // Each item fails on its own: what the answer lists must not grow with the body.
    { kind: 'lazy', label: '30,000 wrong-typed array items', make: () => Buffer.from(`{"rows":[${Array(30_000).fill('1').join(',')}]}`) },
    ...(limit > 2 * MB ? [{ kind: 'lazy', label: '500,000 wrong-typed array items (1 MB)', make: () => Buffer.from(`{"rows":[${Array(500_000).fill('1').join(',')}]}`) } as const] : []),
  ]
}

// --- CSV uploads -----------------------------------------------------------------------------

const CELL_EXAMPLES = ['東京都', '千代田区', '丸の内', '1-1-1', '1001', 'ORD-1', 'a@example.jp', 'JCB', '2026-01-05', '']

const cell: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...CELL_EXAMPLES), weight: 4 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: fc.constantFrom('"', '"a', 'a"b', '""', ',', '\n', '\r', '"\n"', '=1+1', '@SUM(A1)', '\uFEFF'), weight: 1 },
)

/**
 * A CSV upload: the header the document names (or none), rows of 6–9 cells, then an encoding
 * (UTF-8, with BOM, Shift_JIS, or broken bytes), line ends and quoting chosen by the generator.
 */
export function csvBody (header: string | undefined): fc.Arbitrary<Body> {
  return fc.record({
    withHeader: fc.boolean(),
    rows: fc.array(fc.array(cell, { minLength: 5, maxLength: 9 }), { minLength: 0, maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    quote: fc.boolean(),
    encoding: fc.constantFrom('utf-8', 'utf-8', 'bom', 'shift_jis', 'broken', 'broken', 'nul'),
    bad: invalidUtf8,
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  }).map((c) => {
    const q = (s: string) => (c.quote ? `"${s.replaceAll('"', '""')}"` : s)
    const lines = [...(c.withHeader && header !== undefined ? [header] : []), ...c.rows.map((r) => r.map(q).join(','))]
    const text = lines.join(c.eol) + c.eol
    const encoded =
      c.encoding === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
        : c.encoding === 'shift_jis' ? iconv.encode(text, 'cp932')
          : c.encoding === 'broken' ? spliceBytes(text, c.bad, c.at)
            : c.encoding === 'nul' ? spliceBytes(text, Buffer.from([0, 0, 0]), c.at)
              : Buffer.from(text)
    return bytes(`csv ${c.encoding}, ${lines.length} lines`, encoded)
  })
}

export const csvGarbage: fc.Arbitrary<Body> = fc.oneof(
  garbageBytes.map((b) => bytes('csv garbage', b)),
  fc.constantFrom('', '\n', '\r\n\r\n', ',,,,,,,', '"', '"unterminated,a,b\n', '\uFEFF', 'a\u0000b,c\n').map((s) => bytes('csv near-empty', s)),
)

/** CSV bodies against the limits: a line longer than any address, too many rows, too many bytes. */
export function sizedCsv (header: string, maxBytes: number, maxRows: number | undefined): Body[] {
  const row = '東京都,千代田区,丸の内,1-1-1,1001,ビル,x,y\n'
  return [
    { kind: 'lazy', label: 'a 70 kB line', make: () => Buffer.from(`${header}\n${'A'.repeat(70_000)},b,c,d,e,f,g,h\n`) },
    { kind: 'lazy', label: 'one 1 MB field', make: () => Buffer.from(`${header}\n"${'あ'.repeat(MB / 3)}",b,c,d,e,f,g,h\n`) },
    ...(maxRows === undefined ? [] : [{ kind: 'lazy', label: `${maxRows + 1} rows`, make: () => Buffer.from(row.repeat(maxRows + 1)) } as const]),
    { kind: 'lazy', label: `just over ${maxBytes} bytes`, make: () => Buffer.concat([Buffer.from(row.repeat(Math.ceil(maxBytes / Buffer.byteLength(row)))).subarray(0, maxBytes + 1)]) },
    { kind: 'lazy', label: `over ${maxBytes} bytes, streamed without content-length`, make: () => Readable.from((function * () { for (let n = 0; n <= maxBytes; n += 65_536) yield Buffer.from(row.repeat(1 + Math.floor(65_536 / Buffer.byteLength(row)))) })()) },
    { kind: 'lazy', label: 'invalid UTF-8 on every line', make: () => Buffer.concat(Array.from({ length: 50 }, () => Buffer.from([0x41, 0xff, 0xfe, 0x2c, 0xed, 0xa0, 0x80, 0x0a]))) },
    { kind: 'lazy', label: 'Shift_JIS with a broken lead byte', make: () => Buffer.concat([iconv.encode(`${header}\n東京都,千代田区,丸の内,1-1-1,1001,ビル,x,y\n`, 'cp932'), Buffer.from([0x81, 0x0a, 0x82, 0x2c, 0x0a])]) },
    { kind: 'lazy', label: '100,000 empty lines', make: () => Buffer.alloc(100_000, 0x0a) },
    { kind: 'lazy', label: '64 kB of garbage without a line end', make: () => Buffer.alloc(64 * 1024 + 1, 0xfe) },
  ]
}
