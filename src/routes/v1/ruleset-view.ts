// Shared by the ruleset routes: the version path parameter, who acts, a version as answered,
// and the examples of their own refusals for the OpenAPI document.
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import { Type } from '@sinclair/typebox'
import { AppError, ERRORS, problemType, type ErrorCode } from '../../errors.js'
import type { Actor } from '../../decisions/rulesets.js'
import { findRuleset, findRulesetHead, listPublications, listRuleCounts, type RulesetRow } from '../../db/rulesets.js'
import type { DB } from '../../db/types.js'
import { AUTHED, problemResponses } from '../../schemas/problem.js'
import { toRuleset } from '../../schemas/ruleset.js'

export const VersionParams = Type.Object({
  version: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The version number (1, 2, 3 …)' }),
}, { additionalProperties: false })

/** Ruleset routes run behind the merchant guard: the principal is always a merchant key. */
export function actorOf (request: FastifyRequest): Actor {
  const p = request.principal
  if (p?.kind !== 'merchant') throw new Error('ruleset route reached without a merchant key')
  return { merchantId: p.merchantId, keyId: p.keyId }
}

/** The version as GET /v1/rulesets/{version} answers it (a row just written may be passed). */
export async function rulesetView (db: Kysely<DB>, merchantId: string, version: number, written?: RulesetRow) {
  const row = written ?? await findRuleset(db, merchantId, version)
  const head = await findRulesetHead(db, merchantId)
  if (row === undefined || head === undefined) throw new AppError('NOT_FOUND', `No ruleset version ${version}`)
  return toRuleset(row, head, await listPublications(db, merchantId, [version]), await listRuleCounts(db, merchantId, version))
}

const REQUEST_ID = '3f2b8c1e-6d4a-4e9b-9c7f-1a2b3c4d5e6f'

type Example = { summary: string; code: ErrorCode; detail: string; errors?: Array<{ path: string; message: string }> }

const EXAMPLES: Record<string, Example> = {
  ruleInvalid: {
    summary: 'ルールの条件（CEL）がコンパイルできない',
    code: 'RULESET_INVALID',
    detail: 'The ruleset does not compile: high-amount: Syntax error: unexpected end of input (at position 16)',
    errors: [{ path: 'body.rules[0].when', message: 'high-amount: Syntax error: unexpected end of input (at position 16)' }],
  },
  unknownField: {
    summary: '語彙にないフィールド（order.amout）を参照した',
    code: 'RULESET_INVALID',
    detail: 'The ruleset does not compile: amount-typo: No such key: amout (at position 0)',
    errors: [{ path: 'body.rules[1].when', message: 'amount-typo: No such key: amout (at position 0)' }],
  },
  badRuleId: {
    summary: 'ルール ID に使えない文字（日本語）',
    code: 'VALIDATION_FAILED',
    detail: 'body.rules[0].id must match pattern "^[A-Za-z0-9_-]{1,64}$"',
    errors: [{ path: 'body.rules[0].id', message: 'must match pattern "^[A-Za-z0-9_-]{1,64}$"' }],
  },
  notFound: { summary: 'この加盟店にその版はない（他社の版も同じ）', code: 'NOT_FOUND', detail: 'No ruleset version 7' },
  alreadyLive: { summary: 'すでに本番の版', code: 'CONFLICT', detail: 'Version 3 is already live' },
  liveAsShadow: { summary: '本番の版はシャドーにできない', code: 'CONFLICT', detail: 'Version 3 is live; the shadow runs beside the live version, so it must be another' },
  makerChecker: {
    summary: '作成したキーと同じキーでは公開できない（二者承認）',
    code: 'FORBIDDEN',
    detail: 'This merchant requires a second key to publish: version 4 was drafted with this API key; publish it with another key holding rules:publish',
  },
  noShadow: { summary: 'シャドーの版が設定されていない', code: 'NOT_FOUND', detail: 'No shadow version is set' },
}

/** The shared problem entries of an operation, with examples of its own refusals by status. */
export function rulesetProblems (instance: string, statuses: number[], examples: Partial<Record<number, string[]>>) {
  const out = problemResponses(...statuses, ...AUTHED) as Record<number, { content: Record<string, Record<string, unknown>> }>
  for (const [status, names] of Object.entries(examples)) {
    const entry = out[Number(status)]!.content['application/problem+json']!
    entry.examples = Object.fromEntries((names ?? []).map((name) => {
      const { summary, code, detail, errors } = EXAMPLES[name]!
      const value = { type: problemType(code), title: ERRORS[code].title, status: ERRORS[code].status, detail, instance, code, requestId: REQUEST_ID, ...(errors !== undefined ? { errors } : {}) }
      return [name, { summary, value }]
    }))
  }
  return out
}
