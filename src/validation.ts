// Request validation: Ajv with every error reported (one entry per failing field), unknown
// properties refused rather than dropped, and type coercion only where HTTP has no types
// (querystring, params, headers) — a JSON body's "1000" is not the number 1000.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import formats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { FieldError } from './errors.js'

function makeAjv (coerceTypes: false | 'array'): Ajv {
  // allErrors costs more on hostile input; body limits and maxLength/maxItems bound it.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: true, addUsedSchema: false, strict: false })
  // ajv-formats is CommonJS: its function is the default export's default under NodeNext.
  ;(formats as unknown as { default: (a: Ajv) => void }).default(ajv)
  return ajv
}

/** @param shared schemas with an $id that request schemas may $ref. */
export function validatorCompiler (shared: readonly object[]): FastifySchemaCompiler<any> {
  const body = makeAjv(false)
  const other = makeAjv('array')
  for (const schema of shared) { body.addSchema(schema); other.addSchema(schema) }
  return ({ schema, httpPart }) => {
    // A streamed body (CSV uploads) is read and validated by its route, line by line.
    if ((schema as { 'x-stream'?: boolean })['x-stream'] === true) return () => true
    const ajv = httpPart === 'body' ? body : other
    const id = (schema as { $id?: string }).$id
    const stored = id !== undefined ? ajv.getSchema(id) : undefined
    return (stored ?? ajv.compile(schema as object)) as ValidateFunction
  }
}

const PART: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' }

/** `/items/0/name` in the body → `body.items[0].name`. */
function fieldPath (part: string, pointer: string, child?: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
  if (child !== undefined) segments.push(child)
  return segments.reduce((p, s) => (/^\d+$/.test(s) ? `${p}[${s}]` : `${p}.${s}`), PART[part] ?? part)
}

function describe (e: ErrorObject): string {
  switch (e.keyword) {
    case 'required': return 'is required'
    case 'additionalProperties': return 'is not a recognised field'
    case 'enum': return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const': return `must be ${JSON.stringify(e.params.allowedValue)}`
    case 'format': return `must be a valid ${String(e.params.format)}`
    default: return e.message ?? 'is invalid'
  }
}

/** Ajv errors → one { path, message } per failing field, duplicates (anyOf branches) folded. */
export function fieldErrors (part: string, errors: ErrorObject[]): FieldError[] {
  const out = new Map<string, FieldError>()
  for (const e of errors) {
    // anyOf/oneOf repeat their branches' errors; the branch errors name the field better.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue
    const child = e.keyword === 'required'
      ? String(e.params.missingProperty)
      : e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined
    const path = fieldPath(part, e.instancePath, child)
    if (!out.has(path)) out.set(path, { path, message: describe(e) })
  }
  return [...out.values()]
}
