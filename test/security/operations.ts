// The operations of the committed OpenAPI document (openapi/openapi.json), read the way the
// security tests walk them: who may call each one (from `security`), its path parameters, and a
// minimal valid request body, so a route added later is walked without anyone listing it here.
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import type { InjectOptions } from 'fastify'

type Doc = {
  paths: Record<string, Record<string, {
    operationId: string
    security?: Array<Record<string, string[]>>
    parameters?: Array<{ name: string; in: string; schema?: { type?: string; format?: string; pattern?: string } }>
    requestBody?: { required?: boolean; content: Record<string, unknown> }
    responses?: Record<string, { content?: Record<string, unknown> }>
  }>>
}

export const DOC = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as Doc

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete'])

export type PathParam = {
  name: string
  /** The collection segment the parameter names a member of: /v1/webhooks/{id} → 'webhooks'. */
  collection: string
  uuid: boolean
  /** An integer (a ruleset version). */
  integer: boolean
  pattern?: string
}

export type Operation = {
  operationId: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** The OpenAPI template, e.g. /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver. */
  path: string
  params: PathParam[]
  /** The operator credential is admitted. */
  operator: boolean
  /** A merchant API key is admitted … */
  apiKey: boolean
  /** … holding these scopes (empty: any key). */
  scopes: string[]
  /** Content types of the request body, when there is one. */
  bodyTypes: string[]
  bodyRequired: boolean
  /** Content types of the 200/201/202 answer. */
  answers: string[]
  label: string
}

function toOperation (path: string, method: string, op: Doc['paths'][string][string]): Operation {
  const security = op.security ?? []
  const apiKey = security.find((r) => 'apiKey' in r)
  const segments = path.split('/')
  const params = segments.flatMap((s, i) => {
    const name = /^\{(.+)\}$/.exec(s)?.[1]
    if (name === undefined) return []
    const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema
    return [{ name, collection: segments[i - 1] ?? '', uuid: schema?.format === 'uuid', integer: schema?.type === 'integer', ...(schema?.pattern !== undefined ? { pattern: schema.pattern } : {}) }]
  })
  const ok = ['200', '201', '202'].flatMap((s) => Object.keys(op.responses?.[s]?.content ?? {}))
  return {
    operationId: op.operationId,
    method: method.toUpperCase() as Operation['method'],
    path,
    params,
    operator: security.some((r) => 'operatorToken' in r),
    apiKey: apiKey !== undefined,
    scopes: apiKey?.apiKey ?? [],
    bodyTypes: Object.keys(op.requestBody?.content ?? {}),
    bodyRequired: op.requestBody?.required === true,
    answers: [...new Set(ok)],
    label: `${method.toUpperCase()} ${path}`,
  }
}

/** Every operation of the document, in document order. */
export const OPERATIONS: Operation[] = Object.entries(DOC.paths).flatMap(([path, ops]) =>
  Object.entries(ops).filter(([m]) => METHODS.has(m)).map(([m, op]) => toOperation(path, m, op)))

/** The path with its parameters filled in. */
export function urlOf (op: Operation, value: (p: PathParam) => string): string {
  let url = op.path
  for (const p of op.params) url = url.replace(`{${p.name}}`, encodeURIComponent(value(p)))
  return url
}

/** A parameter value that names nothing, well-formed by the parameter's schema. */
export function nobody (p: PathParam): string {
  if (p.uuid) return randomUUID()
  if (p.integer) return '987654321'
  for (const value of ['NO-SUCH-1', '987654321']) {
    if (p.pattern === undefined || new RegExp(p.pattern, 'u').test(value)) return value
  }
  throw new Error(`no well-formed value for {${p.name}} (pattern ${p.pattern}): teach nobody() in test/security/operations.ts one`)
}

export const HOME = { prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1', room: '1001' }

/** A clean order: nothing in it scores for a merchant with no history, lists or settings. */
export function cleanOrder (orderId: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId,
    amount: 5800,
    paymentMethod: 'card',
    card: { bin: '401234', last4: '4242', issuerCountry: 'JP' },
    buyer: { name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: 'taro@example.co.jp', phone: '03-3210-1234', address: HOME, ip: '203.0.113.7' },
    items: [{ sku: 'SKU-1', name: '本', category: 'books', unitPrice: 5800, quantity: 1 }],
    ...patch,
  }
}

type Body = { contentType: string; payload: string | Record<string, unknown> }

/**
 * A minimal valid body per operation that takes one. `orderId` is the order the body is about
 * (the tenant test passes the other merchant's). A new operation with a body needs a line here:
 * the tests fail, naming it, until it has one.
 */
export const BODIES: Record<string, (ctx: { orderId: string }) => Body> = {
  createMerchant: () => json({ name: '行列テスト商店' }),
  updateMerchant: () => json({ name: '改名した商店' }),
  createApiKey: () => json({ preset: 'shipping' }),
  importFraudAddresses: () => ({ contentType: 'text/csv', payload: 'issuer,reported_on,prefecture,city,town,block,room,building\n' }),
  matchAddress: ({ orderId }) => json({ orderId, email: 'taro@example.co.jp', address: HOME }),
  createAddressMatchBatch: ({ orderId }) => json({ rows: [{ orderId, email: 'taro@example.co.jp', ...HOME }] }),
  scoreOrder: ({ orderId }) => json(cleanOrder(orderId)),
  checkShipment: ({ orderId }) => json({ orderId, shipTo: { address: HOME } }),
  recordOrderFeedback: () => json({ type: 'chargeback' }),
  orderWhatIf: () => json({ ruleset: { rules: [{ id: 'r1', name: '高額', when: 'order.amount >= 50000', action: { add: 10 } }] } }),
  createBacktest: () => json({ shadow: true, from: '2026-06-01T00:00:00+09:00', to: '2026-07-01T00:00:00+09:00' }),
  createBlocklistEntry: () => json({ type: 'email', value: 'someone@example.org' }),
  createWebhook: () => json({ url: 'http://127.0.0.1:9/hook', minLevel: 'high', mode: 'immediate' }),
  updateWebhook: () => json({ minLevel: 'elevated' }),
  createPersonalDataErasure: () => json({ email: 'taro.yamada@example.jp' }),
  createRuleset: () => json({ rules: [{ id: 'walk-high-amount', name: '高額注文', when: 'order.amount >= 100000', action: { add: 10 } }] }),
}

function json (payload: Record<string, unknown>): Body {
  return { contentType: 'application/json', payload }
}

/** The inject options for one call; throws when a body is needed and BODIES has none. */
export function requestOf (
  op: Operation,
  url: string,
  headers: Record<string, string>,
  ctx: { orderId: string } = { orderId: 'ORD-SECURITY-1' }
): InjectOptions {
  const body = BODIES[op.operationId]
  if (body === undefined) {
    if (op.bodyRequired) throw new Error(`${op.label} (${op.operationId}) takes a body: add a minimal valid one to BODIES in test/security/operations.ts`)
    return { method: op.method, url, headers }
  }
  const { contentType, payload } = body(ctx)
  return { method: op.method, url, headers: { ...headers, 'content-type': contentType }, payload }
}
