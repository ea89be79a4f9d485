// Hostile material for the fuzz test: strings, numbers, keys and byte sequences a careless or
// malicious client sends, and a JSON writer that can also emit what JSON.stringify cannot
// (1e309, -0, 2^64, 10,000 levels of nesting, a 1 MB string built only when sent).
import fc from 'fast-check'

/** Emitted verbatim into the JSON text: numbers JavaScript cannot hold, nesting too deep to build. */
export class Raw {
  constructor (readonly text: string, readonly label = text) {}
}

/** A string of `length` copies of `unit`, made only when the body is written (never kept in samples). */
export class Repeat {
  constructor (readonly unit: string, readonly length: number) {}
}

/** `levels` of nested arrays or objects, written on demand. */
export class Deep {
  constructor (readonly levels: number, readonly shape: 'array' | 'object', readonly inner: unknown = 1) {}
}

export const MB = 1024 * 1024

/** Own enumerable keys include `__proto__` set with defineProperty: JSON text can carry one. */
export function setKey (target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

export function writeJson (value: unknown): string {
  if (value instanceof Raw) return value.text
  if (value instanceof Repeat) return JSON.stringify(value.unit.repeat(value.length))
  if (value instanceof Deep) {
    const open = value.shape === 'array' ? '[' : '{"a":'
    const close = value.shape === 'array' ? ']' : '}'
    return open.repeat(value.levels) + writeJson(value.inner) + close.repeat(value.levels)
  }
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${writeJson((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** A short, printable account of a value for failure messages: huge parts are named, not shown. */
export function describeJson (value: unknown, budget = 400): string {
  const text = writeJson(shrinkForDisplay(value))
  return text.length > budget ? `${text.slice(0, budget)}… (${text.length} chars)` : text
}

function shrinkForDisplay (value: unknown): unknown {
  if (value instanceof Repeat) return new Raw(`<${JSON.stringify(value.unit)} × ${value.length}>`)
  if (value instanceof Deep) return new Raw(`<${value.levels} nested ${value.shape}s>`)
  if (value instanceof Raw) return value.text.length > 80 ? new Raw(`<raw ${value.label.slice(0, 40)} ${value.text.length} chars>`) : value
  if (typeof value === 'string' && value.length > 120) return `${value.slice(0, 60)}…<${value.length} chars>`
  if (Array.isArray(value)) return value.map(shrinkForDisplay)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value)) setKey(out, k, shrinkForDisplay((value as Record<string, unknown>)[k]))
    return out
  }
  return value
}

export const SQL = [
  "' OR 1=1 --", "'; drop table merchants; --", "\"; delete from api_keys; --", "1; select pg_sleep(5) --",
  "$$; select 1; $$", "' union select null, current_user --", '\\', "%' or '%'='", '%_%', 'E\'\\x00\'', '::uuid',
]

export const UNICODE = [
  '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uDBFFy', '\uDC00\uD800', '\u202Eevil\u202C', '\u200B', '\u200D\u200C',
  '\uFEFF', '\u2028\u2029', '\u0301', 'e\u0301', '👨‍👩‍👧‍👦', '𠮷野家', 'ｱｲｳｴｵ', '〒150-0043', '東京都渋谷区道玄坂１－２－３',
  '\u3000', '\uFFFD', '\uFFFF', '\u0085', '\t\r\n', 'İıſK', '\u1100\u1161', '\u0600', 'ﷺ', '\u{10FFFF}', '\u{E0001}',
]

const OTHER = [
  '', ' ', 'null', 'undefined', 'NaN', 'Infinity', '-0', '1e309', '0x10', 'true', '{}', '[]', '__proto__', 'constructor',
  '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '../../../../etc/passwd', '%00', '%2e%2e%2f', '=cmd|\'/c calc\'!A1',
  '+81-90-0000-0000', '4111111111111111', '4242 4242 4242 4242', 'a@b', 'x@localhost', 'http://127.0.0.1/', 'https://[::1]/',
  'file:///etc/passwd', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '2026-02-30T25:61:61Z',
  '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '23:00', '24:00',
]

/** Short enough to pass a length check: hostile text that reaches the handler and the database. */
export const shortHostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL, ...UNICODE, ...OTHER),
  fc.tuple(fc.constantFrom(...UNICODE), fc.constantFrom('東京都', 'a', 'ORD-1', 'a@example.jp')).map(([h, v]) => v + h + v),
)

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SQL, ...UNICODE, ...OTHER), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(...SQL, ...UNICODE), fc.constantFrom(...UNICODE)).map(([a, b]) => a + b), weight: 2 },
  { arbitrary: fc.constantFrom(201, 301, 1001, 10_000, 70_000).chain((n) => fc.constantFrom('x', 'あ', '\u0000', '\uD800').map((c) => c.repeat(n))), weight: 1 },
)

export const edgeNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(0, -1, 1.5, 101, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, 5e-324),
  fc.constantFrom('1e309', '-1e309', '-0', '18446744073709551616', '-9223372036854775809', '1e-400', '1E2', '0.0', '100000000000.5', '99999999999999999999999')
    .map((t) => new Raw(t)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)

const smallJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 }).map((v) => v as unknown)

/** A value of any type, hostile by preference: what replaces a field in a mutation. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 6 },
  { arbitrary: edgeNumber, weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], ['a'], { a: 1 }), weight: 2 },
  { arbitrary: smallJson, weight: 2 },
  { arbitrary: fc.constantFrom(new Deep(10_000, 'array'), new Deep(10_000, 'object'), new Deep(1_000, 'array', new Raw('{"__proto__":{"x":1}}'))), weight: 1 },
  { arbitrary: fc.constantFrom(new Repeat('A', MB), new Repeat('あ', 300_000), new Repeat('\uD800', 100_000)), weight: 1 },
)

/** Keys that must never be accepted, or must be harmless: prototype pollution and other oddities. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', '$where', '$ref',
    "' OR 1=1 --", 'name\u200B', 'ｎａｍｅ', 'NAME', 'a.b', 'a[0]', '\uD800', 'unknown', 'id', 'merchantId', 'createdAt'),
  fc.string({ unit: 'binary', maxLength: 12 }),
)

/** Bodies with a hostile prototype key at some depth, in the spellings a JSON parser accepts. */
export const protoBodies = [
  '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"\\u005f_proto__":{"x":1}}', '{"name":"x","__proto__":null}', '[{"__proto__":{"x":1}}]',
  '{"a":{"b":{"c":{"__proto__":{"polluted":1}}}}}', '{"constructor":{"prototype":null}}',
]

const INVALID_UTF8: number[][] = [
  [0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3], [0xe3, 0x81], [0x00], [0x82, 0xa0],
]

export const invalidUtf8: fc.Arbitrary<Buffer> = fc.array(fc.constantFrom(...INVALID_UTF8), { minLength: 1, maxLength: 4 })
  .map((seqs) => Buffer.from(seqs.flat()))

/** `text` with invalid UTF-8 bytes spliced in at a position chosen by `at` (0..1). */
export function spliceBytes (text: string, bytes: Buffer, at: number): Buffer {
  const buf = Buffer.from(text)
  const i = Math.min(buf.length, Math.floor(at * (buf.length + 1)))
  return Buffer.concat([buf.subarray(0, i), bytes, buf.subarray(i)])
}

export const garbageBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 2048 })
