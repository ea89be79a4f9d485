// One `when` from text to a runnable expression, or why not: parse (syntax and size limits),
// type-check against the vocabulary, then what cel-js leaves unchecked — the fields named
// inside has(), and regular expressions that could backtrack for ever on a buyer's input.
import { serialize, type ASTNode, type ParseResult } from '@marcbachmann/cel-js'
import { OBJECT_TYPES, RULE_ENVIRONMENT, ROOT_TYPES } from './cel-environment.js'
import { RULE_LIMITS } from './ruleset.js'

export type WhenRefusal = { position: number | null; reason: string }
export type CheckedWhen = { ok: true; run: ParseResult } | ({ ok: false } & WhenRefusal)

type CelErrorLike = { code?: string; summary?: string; range?: { start: number }; node?: ASTNode }

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

function parseRefusal (e: CelErrorLike): WhenRefusal {
  const summary = e.summary ?? 'unreadable expression'
  if (e.code === 'limit_exceeded' && summary.includes('maxDepth')) {
    return { position: e.range?.start ?? null, reason: `nested deeper than ${RULE_LIMITS.depth} levels` }
  }
  if (e.code === 'limit_exceeded' && summary.includes('maxAstNodes')) {
    return { position: null, reason: `more than ${RULE_LIMITS.astNodes} nodes in its syntax tree` }
  }
  return { position: e.range?.start ?? null, reason: `syntax error: ${lowerFirst(summary)}` }
}

function typeReason (e: CelErrorLike): string {
  const summary = e.summary ?? 'type error'
  const node = e.node
  if (e.code === 'no_such_key' && node !== undefined && (node.op === '.' || node.op === '.?')) {
    return `unknown field '${node.args[1]}' of ${serialize(node.args[0])}`
  }
  let m = /^Unknown variable: (.+)$/.exec(summary)
  if (m !== null) return `unknown variable '${m[1]}'`
  m = /^no such overload: (\S+) (\S+) (\S+)$/.exec(summary)
  if (m !== null) return `operator '${m[2]}' does not apply to ${m[1]} and ${m[3]}`
  m = /^found no matching overload for '(.+)'$/.exec(summary)
  if (m !== null) return `no function ${m[1]}`
  return lowerFirst(summary)
}

function refuse (e: unknown): WhenRefusal {
  const err = (e ?? {}) as CelErrorLike & { name?: string; message?: string }
  if (err.name === 'ParseError') return parseRefusal(err)
  if (err.name === 'TypeError' && err.code !== undefined) return { position: err.range?.start ?? null, reason: typeReason(err) }
  return { position: null, reason: lowerFirst(String(err.message ?? e)) }
}

const isNode = (x: unknown): x is ASTNode => typeof x === 'object' && x !== null && 'op' in x && 'args' in x

/** Each field in has(a.b.c) must exist on its declared type: cel-js only checks `a`. */
function hasRefusal (arg: ASTNode): WhenRefusal | null {
  const chain: Array<Extract<ASTNode, { op: '.' | '.?' }>> = []
  let node: ASTNode = arg
  while (node.op === '.' || node.op === '.?') { chain.unshift(node); node = node.args[0] }
  if (node.op !== 'id') return null
  let type = ROOT_TYPES.get(node.args)
  for (const sel of chain) {
    if (type === undefined) return null
    const field = sel.args[1]
    const fields = OBJECT_TYPES.get(type)
    if (fields === undefined) {
      return { position: sel.pos, reason: `${serialize(sel.args[0])} is ${type}, it has no field '${field}'` }
    }
    type = fields.get(field)
    if (type === undefined) return { position: sel.pos, reason: `unknown field '${field}' of ${serialize(sel.args[0])}` }
  }
  return null
}

// Nested quantifiers ((a+)+, (a|aa)*) and backreferences are what makes a regex backtrack
// exponentially; a merchant's pattern runs on every order, on text the buyer chose.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{?]|\\[1-9]/

function regexRefusal (call: ASTNode, pattern: ASTNode | undefined): WhenRefusal | null {
  if (pattern === undefined || pattern.op !== 'value' || typeof pattern.args !== 'string') {
    return { position: call.pos, reason: 'matches() takes a string literal pattern' }
  }
  if (NESTED_QUANTIFIER.test(pattern.args)) {
    return { position: pattern.pos, reason: 'pattern may backtrack too long: no quantified groups containing quantifiers, no backreferences' }
  }
  return null
}

function walk (x: unknown): WhenRefusal | null {
  if (Array.isArray(x)) {
    for (const y of x) { const r = walk(y); if (r !== null) return r }
    return null
  }
  if (!isNode(x)) return null
  if (x.op === 'call' && x.args[0] === 'has' && x.args[1][0] !== undefined) {
    const r = hasRefusal(x.args[1][0]); if (r !== null) return r
  }
  if (x.op === 'rcall' && x.args[0] === 'matches') {
    const r = regexRefusal(x, x.args[2][0]); if (r !== null) return r
  }
  if (x.op === 'call' && x.args[0] === 'matches') {
    const r = regexRefusal(x, x.args[1][1]); if (r !== null) return r
  }
  return x.op === 'value' || x.op === 'id' ? null : walk(x.args)
}

export function checkWhen (when: string): CheckedWhen {
  if (when.length > RULE_LIMITS.whenLength) {
    return { ok: false, position: null, reason: `longer than ${RULE_LIMITS.whenLength} characters (${when.length})` }
  }
  let run: ParseResult
  try { run = RULE_ENVIRONMENT.parse(when) } catch (e) { return { ok: false, ...refuse(e) } }
  const checked = run.check()
  if (!checked.valid) return { ok: false, ...refuse(checked.error) }
  if (checked.type !== 'bool') return { ok: false, position: null, reason: `must be a bool expression, is ${checked.type}` }
  const extra = walk(run.ast)
  return extra === null ? { ok: true, run } : { ok: false, ...extra }
}
