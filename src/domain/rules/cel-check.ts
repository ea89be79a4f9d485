// One `when` from text to a runnable expression, or why not: parse (syntax and size limits),
// type-check against the vocabulary, then what cel-js leaves unchecked — the fields named
// inside has() (iteration variables included), and regular expressions (cel-regex.ts).
import { serialize, type ASTNode, type ParseResult } from '@marcbachmann/cel-js'
import { OBJECT_TYPES, RULE_ENVIRONMENT, ROOT_TYPES } from './cel-environment.js'
import { backtrackingRisk } from './cel-regex.js'
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
  if (e.code === 'invalid_macro_argument' && summary.startsWith('has()')) return 'has() takes a field, as in has(order.shipTo)'
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

/** Iteration variables of the macros in scope, with their item type when it is known. */
type Scope = ReadonlyMap<string, string | undefined>
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter'])

/** The declared type of a select chain over the vocabulary, when it is one. */
function typeOf (node: ASTNode, scope: Scope): string | undefined {
  if (node.op === 'id') return scope.has(node.args) ? scope.get(node.args) : ROOT_TYPES.get(node.args)
  if (node.op !== '.' && node.op !== '.?') return undefined
  const type = typeOf(node.args[0], scope)
  return type === undefined ? undefined : OBJECT_TYPES.get(type)?.get(node.args[1])
}

/** Each field in has(a.b.c) must exist on its declared type: cel-js only checks `a`. */
function hasRefusal (arg: ASTNode, scope: Scope): WhenRefusal | null {
  if (arg.op !== '.' && arg.op !== '.?') return null
  const [inner, field] = arg.args
  const deeper = hasRefusal(inner, scope)
  if (deeper !== null) return deeper
  const type = typeOf(inner, scope)
  if (type === undefined) return null
  const fields = OBJECT_TYPES.get(type)
  if (fields === undefined) return { position: arg.pos, reason: `${serialize(inner)} is ${type} and has no field '${field}'` }
  return fields.has(field) ? null : { position: arg.pos, reason: `unknown field '${field}' of ${serialize(inner)}` }
}

function regexRefusal (call: ASTNode, pattern: ASTNode | undefined): WhenRefusal | null {
  if (pattern === undefined || pattern.op !== 'value' || typeof pattern.args !== 'string') {
    return { position: call.pos, reason: 'matches() takes a string literal pattern' }
  }
  try { new RegExp(pattern.args) } catch {
    return { position: pattern.pos, reason: 'invalid regular expression (JavaScript syntax: no (?i) flags)' }
  }
  const risk = backtrackingRisk(pattern.args)
  return risk === null ? null : { position: pattern.pos, reason: `pattern refused: ${risk}` }
}

/** The scope inside a macro's arguments: its variable bound to the receiver's item type. */
function macroScope (x: ASTNode & { op: 'rcall' }, scope: Scope): Scope | null {
  const [name, receiver, args] = x.args
  const variable = args[0]
  if (variable?.op !== 'id') return null
  if (MACROS.has(name)) {
    const item = /^list<(\w+)>$/.exec(typeOf(receiver, scope) ?? '')?.[1]
    return new Map(scope).set(variable.args, item)
  }
  if (name === 'bind' && receiver.op === 'id' && receiver.args === 'cel' && args[1] !== undefined) {
    return new Map(scope).set(variable.args, typeOf(args[1], scope))
  }
  return null
}

function walk (x: unknown, scope: Scope): WhenRefusal | null {
  if (Array.isArray(x)) {
    for (const y of x) { const r = walk(y, scope); if (r !== null) return r }
    return null
  }
  if (!isNode(x) || x.op === 'value' || x.op === 'id') return null
  if (x.op === 'call' && x.args[0] === 'has' && x.args[1][0] !== undefined) return hasRefusal(x.args[1][0], scope)
  if (x.op === 'rcall') {
    if (x.args[0] === 'matches') { const r = regexRefusal(x, x.args[2][0]); if (r !== null) return r }
    const inner = macroScope(x, scope)
    if (inner !== null) return walk(x.args[1], scope) ?? walk(x.args[2], inner)
  }
  return walk(x.args, scope)
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
  const extra = walk(run.ast, new Map())
  return extra === null ? { ok: true, run } : { ok: false, ...extra }
}
