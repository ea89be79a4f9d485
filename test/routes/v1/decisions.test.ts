// The decisions layer through the API: a merchant's live version decides beside the built-in
// table (MERCHANT_RULE reasons, versions.merchantRuleset, decidedBy), the shadow version is
// stored and never answered, GET /v1/orders/{orderId} shows what a decision was computed from and
// that it replays, what-ifs decide a stored order again, shipment checks apply the live rules,
// per-rule counts are written — on whichever database the suite runs on.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { assertProblem, bearer, build, createKey, createMerchant } from '../../helper.js'
import type { RulesetBody } from '../../../src/domain/rules/ruleset.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { order } from './order-fixture.js'

const OSAKA = { prefecture: '大阪府', city: '大阪市北区', town: '梅田', block: '3-4-5' }

const LIVE: RulesetBody = {
  rules: [
    { id: 'far-high-value', name: '高額・遠隔地配送', when: 'order.amount >= 50000 && order.shipTo.address.prefecture != order.buyer.address.prefecture', action: { add: 20 } },
    { id: 'free-velocity', name: 'フリーメール＋配送先集中', when: "order.buyer.email.endsWith('@example-free.jp') && 'VELOCITY_SHIP_TO' in reasons", action: { set: 'hold' } },
  ],
  weights: { EMAIL_FREE_DOMAIN: 0 },
}
const SHADOW: RulesetBody = { rules: [{ id: 'any-high-value', name: '高額注文', when: 'order.amount >= 50000', action: { set: 'hold' } }] }

/** A version stored as the rulesets API stores one, made live or shadow. */
async function putVersion (app: FastifyInstance, merchantId: string, version: number, body: RulesetBody, as: 'live' | 'shadow' | null) {
  await app.db.insertInto('rulesets').values({ merchant_id: merchantId, version, body: JSON.stringify(body), status: as === 'live' ? 'published' : 'draft' }).execute()
  if (as !== null) await app.db.updateTable('merchants').set(as === 'live' ? { live_ruleset_version: version } : { shadow_ruleset_version: version }).where('id', '=', merchantId).execute()
}

async function setUp (t: Parameters<typeof build>[0]) {
  const built = await build(t)
  const m = await createMerchant(built.app)
  const key = (await createKey(built.app, m.id)).key
  return { ...built, merchantId: m.id, key }
}

const score = (app: FastifyInstance, key: string, body: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: body })

t.test('the live version decides beside the built-in table; the shadow is stored, never answered', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  await putVersion(app, merchantId, 1, LIVE, 'live')
  await putVersion(app, merchantId, 2, SHADOW, 'shadow')
  const far = await score(app, key, order({ orderId: 'FAR-1', amount: 80000, buyer: { ...(order().buyer as object), email: 'taro@gmail.com' }, shipTo: { name: '山田 太郎', address: OSAKA } }))
  t.equal(far.statusCode, 200, far.body)
  const body = far.json()
  t.match(body, { versions: { ruleset: RULESET.version, merchantRuleset: 1 } })
  const rule = body.reasons.find((r: { code: string }) => r.code === 'MERCHANT_RULE')
  t.same(rule, { code: 'MERCHANT_RULE', weight: 20, message: { ja: '加盟店ルール「高額・遠隔地配送」', en: 'Merchant rule "高額・遠隔地配送"' }, fields: [], rule: { id: 'far-high-value', name: '高額・遠隔地配送', action: { add: 20 } } })
  t.equal(body.reasons.find((r: { code: string }) => r.code === 'EMAIL_FREE_DOMAIN')?.weight, 0, 'the version\'s weight replaces the built-in one')
  t.not(body.recommendation, 'hold', 'the shadow version holds it, but the shadow is never answered')
  const stored = await app.db.selectFrom('orders').select(['shadow', 'merchant_ruleset_version', 'trace']).where('merchant_id', '=', merchantId).where('order_id', '=', 'FAR-1').executeTakeFirstOrThrow()
  t.match(stored, { merchant_ruleset_version: 1, shadow: { version: 2, recommendation: 'hold', trace: { ruleset: 2, rules: [{ id: 'any-high-value', outcome: 'matched' }] } } })
  t.match(stored.trace, { ruleset: 1, rules: [{ id: 'far-high-value', outcome: 'matched' }, { id: 'free-velocity', outcome: 'not_matched' }] })

  // No ship-to: the first rule's second half reads a missing value — an error, not matched, never a failed score.
  const home = await score(app, key, order({ orderId: 'HOME-1', amount: 80000 }))
  t.equal(home.statusCode, 200)
  t.notOk(home.json().reasons.some((r: { code: string }) => r.code === 'MERCHANT_RULE'))
  const trace = (await app.db.selectFrom('orders').select('trace').where('merchant_id', '=', merchantId).where('order_id', '=', 'HOME-1').executeTakeFirstOrThrow()).trace
  t.match(trace?.rules[0], { id: 'far-high-value', outcome: 'error', error: /shipTo/ })

  await app.decisions.rules.flush()
  const counts = await app.db.selectFrom('ruleset_rule_counts').selectAll().where('merchant_id', '=', merchantId).orderBy('version').orderBy('rule_id').execute()
  t.same(counts.map((c) => [c.version, c.rule_id, c.role, Number(c.evaluated), Number(c.matched), Number(c.errors)]), [
    [1, 'far-high-value', 'live', 2, 1, 1], [1, 'free-velocity', 'live', 2, 0, 0], [2, 'any-high-value', 'shadow', 2, 2, 0],
  ])
  t.match(counts[0]!.last_error, /shipTo/)
})

t.test('a rule that sets hold on a built-in reason: the README example', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  await putVersion(app, merchantId, 1, LIVE, 'live')
  const ship = { name: '受取 花子', address: OSAKA }
  for (const [i, name] of ['佐藤 一郎', '鈴木 次郎', '高橋 三郎'].entries()) {
    const res = await score(app, key, order({ orderId: `V-${i}`, buyer: { ...(order().buyer as object), name, email: `buyer${i}@example-free.jp` }, shipTo: ship }))
    t.equal(res.statusCode, 200, res.body)
    if (i === 2) {
      t.ok(res.json().reasons.some((r: { code: string }) => r.code === 'VELOCITY_SHIP_TO'))
      t.match(res.json(), { recommendation: 'hold', decidedBy: { by: 'rule', ruleId: 'free-velocity', set: 'hold' } })
    }
  }
})

t.test('GET /v1/orders/{orderId}: the stored decision, its features and trace, a replay, the labels', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  await putVersion(app, merchantId, 1, LIVE, 'live')
  const scored = (await score(app, key, order({ orderId: 'G-1', amount: 80000, shipTo: { name: '山田 太郎', address: OSAKA } }))).json()
  const fb = await app.inject({ method: 'POST', url: '/v1/orders/G-1/feedback', headers: bearer(key), payload: { type: 'chargeback', note: 'カード会社より通知' } })
  t.equal(fb.statusCode, 201)
  const res = await app.inject({ method: 'GET', url: '/v1/orders/G-1', headers: bearer(key) })
  t.equal(res.statusCode, 200, res.body)
  const got = res.json()
  t.same(got.answer, scored, 'the answer as the score call gave it')
  t.match(got, {
    orderId: 'G-1',
    features: { order: { orderId: 'G-1', amount: 80000 }, identities: { email: 'taro@example.co.jp', shipToPrefecture: '大阪府', buyerPrefecture: '東京都' }, evidence: { fraudAddress: { result: 'none' } } },
    trace: { builtin: RULESET.version, ruleset: 1, thresholds: { elevated: 10, high: 50 }, decidedBy: { by: 'score' } },
    shadow: null,
    replay: { identical: true },
    outcome: 'chargeback',
    labels: [{ orderId: 'G-1', type: 'chargeback', note: 'カード会社より通知' }],
  })
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/orders/NO-SUCH', headers: bearer(key) }), 'NOT_FOUND')
  const other = await createMerchant(app, '別の商店')
  const otherKey = (await createKey(app, other.id)).key
  assertProblem(t, await app.inject({ method: 'GET', url: '/v1/orders/G-1', headers: bearer(otherKey) }), 'NOT_FOUND', { detail: 'No scored order G-1' })

  await sql`update orders set features = null, trace = null where order_id = 'G-1'`.execute(app.db)
  t.match((await app.inject({ method: 'GET', url: '/v1/orders/G-1', headers: bearer(key) })).json(), { features: null, trace: null, replay: null }, 'scored before decisions were recorded')
})

t.test('what-if: another version or an unsaved ruleset, beside the stored decision', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  await putVersion(app, merchantId, 1, LIVE, 'live')
  await putVersion(app, merchantId, 2, SHADOW, null)
  await score(app, key, order({ orderId: 'W-1', amount: 80000, shipTo: { name: '山田 太郎', address: OSAKA } }))
  const stored = (await app.inject({ method: 'GET', url: '/v1/orders/W-1', headers: bearer(key) })).json().answer
  const v2 = await app.inject({ method: 'POST', url: '/v1/orders/W-1/what-if', headers: bearer(key), payload: { version: 2 } })
  t.equal(v2.statusCode, 200, v2.body)
  t.match(v2.json(), {
    orderId: 'W-1', version: 2,
    decision: { recommendation: 'hold', trace: { ruleset: 2, decidedBy: { by: 'rule', ruleId: 'any-high-value', set: 'hold' } } },
    stored: { score: stored.score, recommendation: stored.recommendation, merchantRuleset: 1 },
    difference: { recommendationChanged: true, reasonsAdded: ['MERCHANT_RULE:any-high-value'], reasonsRemoved: ['MERCHANT_RULE:far-high-value'] },
  })
  const unsaved = await app.inject({ method: 'POST', url: '/v1/orders/W-1/what-if', headers: bearer(key), payload: { ruleset: { rules: [], weights: { SHIP_TO_DIFFERS: 40 } } } })
  t.match(unsaved.json(), { version: null, decision: { trace: { ruleset: null } }, difference: { reasonsRemoved: ['MERCHANT_RULE:far-high-value'] } })
  t.equal(unsaved.json().decision.reasons.find((r: { code: string }) => r.code === 'SHIP_TO_DIFFERS')?.weight, 40)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/orders/W-1/what-if', headers: bearer(key), payload: { version: 9 } }), 'NOT_FOUND')
  const bad = await app.inject({ method: 'POST', url: '/v1/orders/W-1/what-if', headers: bearer(key), payload: { ruleset: { rules: [{ id: 'typo', name: '誤記', when: 'order.amout > 1', action: { add: 5 } }] } } })
  assertProblem(t, bad, 'RULESET_INVALID', { errors: [{ path: 'body.ruleset.rules[0].when', message: /^typo: .*amout/ }] })
  await sql`update orders set features = null where order_id = 'W-1'`.execute(app.db)
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/orders/W-1/what-if', headers: bearer(key), payload: { version: 2 } }), 'CONFLICT')
})

t.test('shipment checks apply the live rules to the order as it ships', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  await putVersion(app, merchantId, 1, LIVE, 'live')
  await score(app, key, order({ orderId: 'S-1', amount: 80000 }))
  const res = await app.inject({ method: 'POST', url: '/v1/shipments/check', headers: bearer(key), payload: { orderId: 'S-1', shipTo: { name: '山田 太郎', address: OSAKA } } })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { versions: { merchantRuleset: 1 }, changes: [{ type: 'address_changed' }] })
  t.ok(res.json().reasons.some((r: { rule?: { id: string } }) => r.rule?.id === 'far-high-value'), 'the ship-to moved to another prefecture: the rule now matches')
})
