// Every text field of every operation, one at a time, holding what a database or a normalizer
// may choke on (NUL, a lone surrogate between characters, an SQL quote), the rest of the request
// valid: a random sample may miss a field, this walk does not.
import fc from 'fast-check'
import { setKey } from './hostile.js'
import { validArb, type Operation } from './openapi-schema.js'
import { poolKey, validQuery, writeQuery, type FuzzRequest } from './requests.js'

const PROBES: Array<[string, (s: string) => string]> = [
  ['NUL', (s) => `${s}\u0000${s}`],
  ['lone surrogate', (s) => `${s}\uDFFF${s}`],
  ['SQL quote', (s) => `${s}'; drop table merchants; --`],
]

// One valid row for each CSV the document describes (fraud-address imports, match batches).
const CSV_ROWS: Record<string, string[]> = {
  issuer: ['JCB', '2026-01-05', '東京都', '千代田区', '丸の内', '1-1-1', '1001', '丸の内ビル'],
  other: ['ORD-1', 'a@example.jp', '東京都', '千代田区', '丸の内', '1-1-1', '1001', '丸の内ビル'],
}

type Path = Array<string | number>

const SKELETONS = 12

function leaves (v: unknown, path: Path = [], out: Array<{ path: Path; value: string }> = []) {
  if (typeof v === 'string') out.push({ path, value: v })
  else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out))
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) leaves((v as Record<string, unknown>)[k], [...path, k], out)
  return out
}

function setAt (v: unknown, path: Path, value: string): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? setAt(x, rest, value) : x))
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v as object)) setKey(out, k, k === head ? setAt((v as Record<string, unknown>)[k], rest, value) : (v as Record<string, unknown>)[k])
  return out
}

/**
 * The same operation with a valid JSON body (skeleton), for the service to say which it accepts:
 * text probes are worth most on bodies that get past validation to the handler and the database.
 */
export function skeletonRequests (op: Operation, seed: number, credential: string): Array<{ skeleton: unknown; request: FuzzRequest }> {
  const json = op.bodies.find((b) => b.type === 'application/json')
  if (json === undefined) return []
  const pathValues = Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, { pool: poolKey(op.path, p.name) }]))
  const [pairs = []] = fc.sample(validQuery(op), { seed, numRuns: 1 })
  return fc.sample(validArb(json.schema), { seed, numRuns: SKELETONS }).map((skeleton) => ({
    skeleton,
    request: {
      focus: 'probe-skeleton', op: op.id, method: op.method, path: op.path, pathValues, query: writeQuery(pairs),
      credential: op.auth === 'operator' ? 'valid' : { header: credential }, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: skeleton },
    },
  }))
}

/** Each text field of the operation in turn made hostile; JSON fields are taken from `skeletons` (those the service accepted) when there are any. */
export function textProbes (op: Operation, header: string | undefined, seed: number, accepted: unknown[]): FuzzRequest[] {
  const pathValues = Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, { pool: poolKey(op.path, p.name) }]))
  const base = { focus: 'text-probe', op: op.id, method: op.method, path: op.path, pathValues, credential: 'valid' as const }
  const [pairs = []] = fc.sample(validQuery(op), { seed, numRuns: 1 })
  const query = writeQuery(pairs)
  const out: FuzzRequest[] = []

  // Query parameters that take free text (not an enum, not a number).
  for (const p of op.params.filter((x) => x.in === 'query' && x.schema.type === 'string' && x.schema.enum === undefined)) {
    for (const [, probe] of PROBES) {
      out.push({ ...base, query: writeQuery([...pairs.filter(([k]) => k !== p.name), [p.name, probe('x')]]), headers: {} })
    }
  }

  const json = op.bodies.find((b) => b.type === 'application/json')
  if (json !== undefined) {
    // Several skeletons, so optional fields (absent from some) are each probed once.
    const firstWith = new Map<string, { skeleton: unknown; path: Path; value: string }>()
    for (const skeleton of accepted.length > 0 ? accepted : fc.sample(validArb(json.schema), { seed, numRuns: SKELETONS })) {
      for (const leaf of leaves(skeleton)) {
        const key = leaf.path.map((s) => (typeof s === 'number' ? '[]' : s)).join('.')
        if (!firstWith.has(key)) firstWith.set(key, { skeleton, ...leaf })
      }
    }
    for (const { skeleton, path, value } of firstWith.values()) {
      for (const [, probe] of PROBES) {
        out.push({ ...base, query, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: setAt(skeleton, path, probe(value)) } })
      }
    }
  }

  if (op.bodies.some((b) => b.type === 'text/csv') && header !== undefined) {
    const row = CSV_ROWS[header.startsWith('issuer') ? 'issuer' : 'other']!
    row.forEach((cell, i) => {
      for (const [name, probe] of PROBES) {
        const cells = row.map((c, j) => (j === i ? probe(cell) : c))
        const text = `${header}\n${cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')}\n`
        out.push({ ...base, query, headers: { 'content-type': 'text/csv' }, body: { kind: 'bytes', label: `csv, ${name} in column ${i + 1}`, bytes: Buffer.from(text) } })
      }
    })
  }
  return out
}
