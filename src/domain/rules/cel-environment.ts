// The one cel-js Environment merchant rules are checked and run in, declared from VOCABULARY,
// and the conversion of an order's RuleVariables into the values it expects: CEL ints are
// BigInt and objects are instances of the declared types (so the checker's field types hold at
// run time and absent fields stay absent for has()). Converted once per order, not per rule.
import { Environment } from '@marcbachmann/cel-js'
import { RULE_LIMITS } from './ruleset.js'
import { VOCABULARY, type VocabularyEntry } from './cel-vocabulary.js'

/** A field's declared CEL type, by object type name then field name. */
export const OBJECT_TYPES = new Map<string, ReadonlyMap<string, string>>()
/** The roots' declared CEL types. */
export const ROOT_TYPES = new Map<string, string>()

const objectName = (type: string): string | null => /^(?:list<)?([A-Z]\w*)>?$/.exec(type)?.[1] ?? null

/** Thrown while converting: a value the declared type cannot hold. */
export class VariableError extends Error {}

type Convert = (raw: unknown) => unknown
const converters = new Map<string, Convert>()

function toInt (path: string): Convert {
  return (v) => {
    if (typeof v !== 'number') return v
    if (!Number.isSafeInteger(v)) throw new VariableError(`${path} is not an integer`)
    return BigInt(v)
  }
}

/** How to convert a value of `type` found at `path`; objects through their type's converter. */
function converterOf (type: string, path: string): Convert | null {
  if (type === 'int') return toInt(path)
  const name = objectName(type)
  if (name === null) return null
  const one = (v: unknown) => (v !== null && typeof v === 'object' ? converters.get(name)!(v) : v)
  return type.startsWith('list<') ? (v) => (Array.isArray(v) ? v.map(one) : v) : one
}

const childrenOf = (entry: VocabularyEntry): VocabularyEntry[] => {
  const prefix = entry.type.startsWith('list<') ? `${entry.name}[].` : `${entry.name}.`
  return VOCABULARY.filter((e) => e.name.startsWith(prefix) && !e.name.slice(prefix.length).includes('.'))
}

/** Registers an object type after the types of its fields; a name declared twice must agree. */
function declareObject (env: Environment, entry: VocabularyEntry): void {
  const name = objectName(entry.type)!
  const children = childrenOf(entry)
  const fields = new Map(children.map((c) => [c.name.slice(c.name.lastIndexOf('.') + 1), c.type]))
  const known = OBJECT_TYPES.get(name)
  if (known !== undefined) {
    if ([...fields].some(([k, t]) => known.get(k) !== t) || known.size !== fields.size) {
      throw new Error(`vocabulary: type ${name} declared with different fields at ${entry.name}`)
    }
    return
  }
  for (const c of children) if (objectName(c.type) !== null) declareObject(env, c)
  const Ctor = { [name]: class {} }[name]!
  const plan = [...fields].map(([k, t]) => [k, converterOf(t, `${entry.name}.${k}`)] as const)
  converters.set(name, (raw) => {
    const src = raw as Record<string, unknown>
    const out = new Ctor() as Record<string, unknown>
    for (const [k, convert] of plan) {
      const v = src[k]
      if (v !== undefined && v !== null) out[k] = convert === null ? v : convert(v)
    }
    return out
  })
  env.registerType(name, { ctor: Ctor, fields: Object.fromEntries(fields) })
  OBJECT_TYPES.set(name, fields)
}

function declare (): Environment {
  const env = new Environment({
    enableOptionalTypes: true,
    limits: { maxDepth: RULE_LIMITS.depth, maxAstNodes: RULE_LIMITS.astNodes },
  })
  // cel-js orders int against double (`features.amountRatio > 3`) but refuses `==` between them;
  // a merchant writing `features.amountRatio == 0` means the number. Registers `!=` and the mirror too.
  env.registerOperator('double == int', (a: number, b: bigint) => a === Number(b))
  for (const root of VOCABULARY.filter((e) => !e.name.includes('.'))) {
    if (objectName(root.type) !== null) declareObject(env, root)
    env.registerVariable(root.name, root.type, { description: root.description })
    ROOT_TYPES.set(root.name, root.type)
  }
  return env
}

export const RULE_ENVIRONMENT: Environment = declare()

const rootConverters = [...ROOT_TYPES].map(([name, type]) => [name, converterOf(type, name)] as const)

/** The context of one order for every rule of a ruleset. Throws VariableError. */
export function celContext (vars: object): Record<string, unknown> {
  const src = vars as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [name, convert] of rootConverters) {
    const v = src[name]
    if (v !== undefined && v !== null) out[name] = convert === null ? v : convert(v)
  }
  return out
}
