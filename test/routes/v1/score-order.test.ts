// POST /v1/orders/score through the API: the answer's shape, signals fed by the database
// (fraud-address store, blocklist, history, velocity), idempotent replay and 409, card-number
// refusal, cash on delivery, tenancy and scopes — on whichever database the suite runs on.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { assertProblem, bearer, build, createKey, createMerchant, operator } from '../../helper.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { HOME, order } from './order-fixture.js'

const STORE = [
  'issuer,reported_on,prefecture,city,town,block,room,building',
  'A社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,',
  'B社,2026-02-01,大阪府,大阪市北区,梅田,3-4-5,,',
].join('\n') + '\n'

async function setUp (t: Parameters<typeof build>[0]) {
  const built = await build(t)
  const imp = await built.app.inject({ method: 'POST', url: '/v1/fraud-addresses/imports', headers: { ...operator, 'content-type': 'text/csv' }, payload: STORE })
  t.equal(imp.statusCode, 201)
  const m = await createMerchant(built.app)
  const key = (await createKey(built.app, m.id)).key
  return { ...built, merchantId: m.id, key }
}

const score = (app: FastifyInstance, key: string, body: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: body })

const codes = (res: { json: () => { reasons: Array<{ code: string }> } }) => res.json().reasons.map((r) => r.code)

t.test('a clean order scores low and proceeds; the answer has every field', async (t) => {
  const { app, key } = await setUp(t)
  const res = await score(app, key, order())
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.same(Object.keys(body).sort(), ['addressMatch', 'decidedBy', 'evaluatedAt', 'history', 'level', 'orderId', 'reasons', 'recommendation', 'rulesetVersion', 'score', 'versions'])
  t.match(body, { orderId: 'ORD-0001', score: 0, level: 'low', recommendation: 'proceed', reasons: [], history: 'none', addressMatch: { result: 'none', count: 0 }, rulesetVersion: RULESET.version })
  t.match(body.evaluatedAt, /Z$/)
})

t.test('the ship-to in the fraud-address store: full is high and held, partial is elevated', async (t) => {
  const { app, key } = await setUp(t)
  const full = await score(app, key, order({ orderId: 'F-1', shipTo: { name: '山田 太郎', address: { line: '東京都渋谷区道玄坂1-2-3 202号室' } } }))
  t.match(full.json(), { level: 'high', recommendation: 'hold', addressMatch: { result: 'full', count: 1 } })
  t.ok(codes(full).includes('FRAUD_ADDRESS_FULL'))
  t.match(full.json().reasons.find((r: { code: string }) => r.code === 'FRAUD_ADDRESS_FULL'), { fields: ['shipTo.address'], message: { ja: /完全一致/, en: /fully matches/ } })
  const partial = await score(app, key, order({ orderId: 'F-2', shipTo: { name: '山田 太郎', address: { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1丁目2番3号', room: '303' } } }))
  t.match(partial.json(), { addressMatch: { result: 'partial', count: 1 } })
  t.ok(['elevated', 'high'].includes(partial.json().level))
  t.ok(codes(partial).includes('FRAUD_ADDRESS_PARTIAL'))
  const own = await score(app, key, order({ orderId: 'F-3', buyer: { ...(order().buyer as object), address: { line: '大阪府大阪市北区梅田3-4-5' }, phone: '06-6345-1234' } }))
  t.match(own.json(), { addressMatch: { result: 'full' }, level: 'high' }, 'no shipTo: the buyer\'s own address is checked')
})

t.test('seed 002 visual checks through the API: risky places, mail, phone, romaji, overseas card, resale items', async (t) => {
  const { app, key } = await setUp(t)
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['forwarder warehouse', { shipTo: { name: '山田 太郎', address: { ...HOME, room: undefined, building: '転送センター倉庫 JP-58213A' } } }, ['FORWARDING_ADDRESS', 'SHIP_TO_DIFFERS']],
    ['局留', { shipTo: { name: '山田 太郎', address: { line: '東京都千代田区丸の内2-7-2 東京中央郵便局留' } } }, ['PICKUP_OR_HOLD_ADDRESS']],
    ['〜方', { shipTo: { name: '佐藤 花子方 山田 太郎', address: HOME } }, ['CARE_OF_ADDRESS']],
    ['disposable mail', { buyer: { ...(order().buyer as object), email: 'x9@mailinator.com' } }, ['EMAIL_DISPOSABLE']],
    ['invalid mail', { buyer: { ...(order().buyer as object), email: 'taro@@example' } }, ['EMAIL_INVALID']],
    ['03 against 大阪市', { buyer: { ...(order().buyer as object), address: { line: '大阪府大阪市中央区本町1-1-1' } } }, ['PHONE_REGION_MISMATCH']],
    ['romaji name', { buyer: { ...(order().buyer as object), name: 'Taro Yamada', nameKana: undefined } }, ['NAME_ROMAJI']],
    ['overseas card', { card: { bin: '401234', last4: '4242', issuerCountry: 'US' } }, ['CARD_OVERSEAS']],
    ['resale-prone items', { items: [{ name: 'デジタル一眼レフカメラ', category: 'camera', unitPrice: 5800, quantity: 3 }] }, ['RESALE_PRONE_ITEMS']],
  ]
  let n = 0
  for (const [name, patch, expected] of cases) {
    const res = await score(app, key, order({ orderId: `V-${++n}`, ...patch }))
    t.equal(res.statusCode, 200, `${name}: ${res.body}`)
    for (const code of expected) t.ok(codes(res).includes(code), `${name} → ${code}: ${JSON.stringify(codes(res))}`)
  }
  const threeDS = await score(app, key, order({ orderId: 'V-3DS', card: { bin: '401234', last4: '4242', issuerCountry: 'US', threeDSecure: 'authenticated' } }))
  t.match(threeDS.json(), { score: RULESET.weights.CARD_OVERSEAS + RULESET.weights.THREE_DS_AUTHENTICATED >= 0 ? RULESET.weights.CARD_OVERSEAS + RULESET.weights.THREE_DS_AUTHENTICATED : 0 })
  t.ok(codes(threeDS).includes('THREE_DS_AUTHENTICATED'), 'the negative reason is shown')
})

t.test('idempotent replay: the same body answers the stored result; another body is 409', async (t) => {
  const { app, key, db } = await setUp(t)
  const first = await score(app, key, order({ orderId: 'IDEM-1' }))
  t.equal(first.statusCode, 200)
  const again = await score(app, key, order({ orderId: 'IDEM-1' }))
  t.equal(again.statusCode, 200)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json(), first.json(), 'byte-for-byte the stored answer, evaluatedAt included')
  // Key order does not matter: the body is hashed in a canonical form.
  const reordered = Object.fromEntries(Object.entries(order({ orderId: 'IDEM-1' })).reverse())
  t.same((await score(app, key, reordered)).json(), first.json())
  const changed = await score(app, key, order({ orderId: 'IDEM-1', amount: 99_999 }))
  assertProblem(t, changed, 'CONFLICT', { detail: /IDEM-1 was already scored with a different body/ })
  const kysely = app.db
  const rows = await sql<{ n: string }>`select count(*) as n from orders where order_id = 'IDEM-1'`.execute(kysely)
  t.equal(Number(rows.rows[0]!.n), 1, 'stored once')
  const stats = await sql<{ n: string }>`select coalesce(sum(n), 0) as n from merchant_amount_stats`.execute(kysely)
  t.equal(Number(stats.rows[0]!.n), 1, 'counted once in the amount statistics')
  void db
})

t.test('concurrent identical calls store one order and answer the same', async (t) => {
  const { app, key } = await setUp(t)
  const answers = await Promise.all(Array.from({ length: 5 }, () => score(app, key, order({ orderId: 'RACE-1' }))))
  for (const a of answers) t.equal(a.statusCode, 200, a.body)
  const scores = new Set(answers.map((a) => a.json().evaluatedAt))
  t.equal(scores.size, 1, 'every caller got the one stored answer')
})

// The race a retry storm makes: a call reads "not scored yet", and another call's insert lands
// before its own. A trigger makes that happen on demand, on either database: just before the
// call's insert, it stores the "winner" (the same row with a marked evaluatedAt, or another body's
// hash), so the call's insert meets the conflict and must answer what is stored.
t.test('a call whose insert loses to a concurrent one answers the stored winner, or 409 for another body', async (t) => {
  const { app, key } = await setUp(t)
  await sql`create function race_winner () returns trigger language plpgsql as $$
    declare w orders;
    begin
      if pg_trigger_depth() = 1 and new.order_id like 'RACE-%' then
        w := new;
        w.response := jsonb_set(new.response, '{evaluatedAt}', '"2000-01-01T00:00:00.000Z"');
        if new.order_id like 'RACE-OTHER%' then w.request_hash := '\\x00'::bytea; end if;
        insert into orders select (w).*;
      end if;
      return new;
    end $$`.execute(app.db)
  await sql`create trigger race_winner before insert on orders for each row execute function race_winner()`.execute(app.db)
  const stats = async () => Number((await sql<{ n: string }>`select coalesce(sum(n), 0) as n from merchant_amount_stats`.execute(app.db)).rows[0]!.n)
  const before = await stats()

  const lost = await score(app, key, order({ orderId: 'RACE-SAME' }))
  t.equal(lost.statusCode, 200, lost.body)
  t.equal(lost.headers['idempotent-replayed'], 'true', 'the loser says it answers a stored result')
  t.equal(lost.json().evaluatedAt, '2000-01-01T00:00:00.000Z', 'the winner\'s stored answer, not the one the loser computed')
  const stored = await sql<{ response: unknown }>`select response from orders where order_id = 'RACE-SAME'`.execute(app.db)
  t.equal(stored.rows.length, 1, 'one order stored')
  t.same(lost.json(), stored.rows[0]!.response)

  const other = await score(app, key, order({ orderId: 'RACE-OTHER' }))
  assertProblem(t, other, 'CONFLICT')
  t.match(other.json().detail, /RACE-OTHER was already scored with a different body/)
  t.equal(await stats(), before, 'a lost insert counts nothing toward the merchant\'s amount statistics')
  const retried = await score(app, key, order({ orderId: 'RACE-SAME' }))
  t.same(retried.json(), lost.json(), 'a later retry answers the same stored result')
})

t.test('a full card number anywhere but the merchant\'s identifiers is refused, never stored or logged', async (t) => {
  const { app, key, rawLogs } = await setUp(t)
  const pan = '4111 1111 1111 1111'
  for (const [path, patch] of [
    ['buyer.name', { buyer: { ...(order().buyer as object), name: pan } }],
    ['card.bin', { card: { bin: '4111111111111111', last4: '1111' } }],
    ['items[0].name', { items: [{ name: `card ${pan}`, unitPrice: 1, quantity: 1 }] }],
    ['shipTo.address.building', { shipTo: { address: { ...HOME, building: '4111-1111-1111-1111' } } }],
    ['amount', { amount: 4111111111111111 }],
  ] as const) {
    const res = await score(app, key, order({ orderId: `PAN-${path}`, ...patch }))
    assertProblem(t, res, 'CARD_NUMBER_REFUSED', { errors: [{ path: `body.${path}`, message: /full card number/ }] })
    t.notMatch(res.body, /4111/, 'the number is not echoed')
  }
  const numericOrderId = await score(app, key, order({ orderId: '4111111111111111', items: [{ sku: '4111111111111111', name: '本', unitPrice: 1, quantity: 1 }] }))
  t.equal(numericOrderId.statusCode, 200, 'a numeric orderId or sku is the merchant\'s identifier, not a card')
  t.notMatch(rawLogs(), /4111 1111|4111-1111/)
  const stored = await sql<{ n: string }>`select count(*) as n from orders where response::text like '%4111 1111%'`.execute(app.db)
  t.equal(Number(stored.rows[0]!.n), 0)
})

t.test('cash on delivery gets no signals but the blocklist', async (t) => {
  const { app, key } = await setUp(t)
  const risky = { paymentMethod: 'cod', card: undefined, buyer: { ...(order().buyer as object), email: 'x9@mailinator.com', name: 'Taro Yamada', nameKana: undefined }, shipTo: { address: { line: '東京都渋谷区道玄坂1-2-3 202' } } }
  const cod = await score(app, key, order({ orderId: 'COD-1', ...risky }))
  t.match(cod.json(), { score: 0, level: 'low', reasons: [], addressMatch: { result: 'none', count: 0 } })
  const listed = await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'email', value: 'X9@mailinator.com' } })
  t.equal(listed.statusCode, 201)
  const blocked = await score(app, key, order({ orderId: 'COD-2', ...risky }))
  t.same(codes(blocked), ['BLOCKLIST_HIT'])
  t.match(blocked.json(), { level: 'high', recommendation: 'hold' })
})

t.test('blocklist hits by every type, compared on normalized values', async (t) => {
  const { app, key } = await setUp(t)
  const list = async (type: string, value: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type, value } })
    t.equal(res.statusCode, 201, `${type} ${value}: ${res.body}`)
  }
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ['email', 'Ta.Ro+shop@Gmail.com', { buyer: { ...(order().buyer as object), email: 'taro@gmail.com' } }, 'buyer.email'],
    ['email', '@evil.example', { buyer: { ...(order().buyer as object), email: 'who@evil.example' } }, 'buyer.email'],
    ['phone', '+81 90 1111 2222', { buyer: { ...(order().buyer as object), phone: '090-1111-2222' } }, 'buyer.phone'],
    ['name', '鈴木　一郎', { shipTo: { name: '鈴木一郎', address: HOME } }, 'shipTo.name'],
    ['address', '大阪府大阪市北区梅田1-1-1', { shipTo: { address: { line: '大阪府大阪市北区梅田一丁目1番1号 505' } } }, 'shipTo.address'],
    ['card_bin', '555555', { card: { bin: '55555512', last4: '0001' } }, 'card.bin'],
    ['ip', '198.51.100.0/24', { buyer: { ...(order().buyer as object), ip: '198.51.100.77' } }, 'buyer.ip'],
  ]
  let n = 0
  for (const [type, value, patch, field] of cases) {
    await list(type, value)
    const res = await score(app, key, order({ orderId: `BL-${++n}`, ...patch }))
    const hit = res.json().reasons.find((r: { code: string }) => r.code === 'BLOCKLIST_HIT')
    t.match(hit, { fields: [field] }, `${type} ${value}`)
    t.equal(res.json().level, 'high', 'a blocklist hit alone is high')
  }
  const clean = await score(app, key, order({ orderId: 'BL-clean' }))
  t.notOk(codes(clean).includes('BLOCKLIST_HIT'), 'an order touching no entry')
})

t.test('fraud history: feedback files an order; later orders match or resemble it', async (t) => {
  const { app, key } = await setUp(t)
  const fraud = order({ orderId: 'H-1', buyer: { name: '高橋 健一', nameKana: 'タカハシ ケンイチ', email: 'kenichi.t@example.ne.jp', phone: '090-5555-6666', address: { line: '神奈川県横浜市西区みなとみらい2-2-1 1203' } } })
  t.equal((await score(app, key, fraud)).statusCode, 200)
  const before = await score(app, key, order({ orderId: 'H-2', buyer: { ...(order().buyer as object), phone: '090-5555-6666' } }))
  t.equal(before.json().history, 'none', 'no feedback yet: nothing in the history')
  const fb = await app.inject({ method: 'POST', url: '/v1/orders/H-1/feedback', headers: bearer(key), payload: { type: 'fraud_confirmed', note: 'issuer confirmed' } })
  t.equal(fb.statusCode, 201, fb.body)
  t.match(fb.json(), { orderId: 'H-1', type: 'fraud_confirmed', note: 'issuer confirmed', id: /^[0-9a-f-]{36}$/ })
  const phone = await score(app, key, order({ orderId: 'H-3', buyer: { ...(order().buyer as object), phone: '+81 90-5555-6666' } }))
  t.equal(phone.json().history, 'match')
  t.match(phone.json().reasons.find((r: { code: string }) => r.code === 'FRAUD_HISTORY_MATCH'), { fields: ['buyer.phone'] })
  const address = await score(app, key, order({ orderId: 'H-4', shipTo: { name: '田中 一郎', address: { prefecture: '神奈川県', city: '横浜市西区', town: 'みなとみらい', block: '二丁目2番1号', room: '1203号室' } } }))
  t.equal(address.json().history, 'match', 'the same address however it is written')
  const similar = await score(app, key, order({ orderId: 'H-5', buyer: { ...(order().buyer as object), name: '高橋 健一', nameKana: 'タカハシ ケンイチ', email: 'kenichi.t2@example.org' } }))
  t.equal(similar.json().history, 'similar', JSON.stringify(similar.json().reasons))
  t.match(similar.json().reasons.find((r: { code: string }) => r.code === 'FRAUD_HISTORY_SIMILAR')?.fields, ['buyer.email', 'buyer.name', 'buyer.nameKana'])
  const legit = await app.inject({ method: 'POST', url: '/v1/orders/H-1/feedback', headers: bearer(key), payload: { type: 'legitimate' } })
  t.equal(legit.statusCode, 201)
  const after = await score(app, key, order({ orderId: 'H-6', buyer: { ...(order().buyer as object), phone: '090-5555-6666' } }))
  t.equal(after.json().history, 'none', 'legitimate takes the order out of the history')
  const unknown = await app.inject({ method: 'POST', url: '/v1/orders/NOPE/feedback', headers: bearer(key), payload: { type: 'chargeback' } })
  assertProblem(t, unknown, 'NOT_FOUND', { detail: /NOPE/ })
  const bad = await app.inject({ method: 'POST', url: '/v1/orders/H-1/feedback', headers: bearer(key), payload: { type: 'refund' } })
  assertProblem(t, bad, 'VALIDATION_FAILED', { errors: [{ path: 'body.type', message: /must be one of/ }] })
})

t.test('velocity: the third distinct buyer to one ship-to within 24 hours; one buyer\'s third high-value order', async (t) => {
  const { app, key } = await setUp(t)
  const drop = { line: '埼玉県さいたま市大宮区桜木町1-7-5 902' }
  const at = (h: number) => new Date(Date.UTC(2026, 10, 20, 9 + h)).toISOString()
  const buyer = (i: number) => ({ ...(order().buyer as object), name: `買手 ${['一', '二', '三', '四'][i]}郎`, nameKana: undefined, email: `buyer${i}@example.jp` })
  const r1 = await score(app, key, order({ orderId: 'VS-1', orderedAt: at(0), buyer: buyer(0), shipTo: { address: drop } }))
  const r2 = await score(app, key, order({ orderId: 'VS-2', orderedAt: at(1), buyer: buyer(1), shipTo: { address: drop } }))
  const same = await score(app, key, order({ orderId: 'VS-2b', orderedAt: at(2), buyer: { ...buyer(1), name: '別名' }, shipTo: { address: drop } }))
  t.notOk([r1, r2, same].some((r) => codes(r).includes('VELOCITY_SHIP_TO')), 'two buyers (one of them twice) are not yet velocity')
  const r3 = await score(app, key, order({ orderId: 'VS-3', orderedAt: at(3), buyer: buyer(2), shipTo: { address: drop } }))
  t.ok(codes(r3).includes('VELOCITY_SHIP_TO'), JSON.stringify(codes(r3)))
  const later = await score(app, key, order({ orderId: 'VS-4', orderedAt: at(40), buyer: buyer(3), shipTo: { address: drop } }))
  t.notOk(codes(later).includes('VELOCITY_SHIP_TO'), 'outside the window')

  const big = (i: number, amount: number) => order({ orderId: `VB-${i}`, orderedAt: at(i), amount, buyer: { ...(order().buyer as object), email: 'whale@example.jp' } })
  t.notOk(codes(await score(app, key, big(1, 120_000))).includes('VELOCITY_BUYER'))
  t.notOk(codes(await score(app, key, big(2, 3_000))).includes('VELOCITY_BUYER'), 'a small order is not high-value')
  t.notOk(codes(await score(app, key, big(3, 98_000))).includes('VELOCITY_BUYER'))
  t.ok(codes(await score(app, key, big(4, 150_000))).includes('VELOCITY_BUYER'), 'the third high-value order in 24 hours')
})

t.test('AMOUNT_UNUSUAL from the merchant\'s own running statistics', async (t) => {
  const { app, key } = await setUp(t)
  for (let i = 0; i < 30; i++) {
    const res = await score(app, key, order({ orderId: `AM-${i}`, amount: 4000 + (i % 5) * 300, buyer: { ...(order().buyer as object), email: `a${i}@example.jp` } }))
    t.notOk(codes(res).includes('AMOUNT_UNUSUAL'), `order ${i}`)
  }
  const whale = await score(app, key, order({ orderId: 'AM-BIG', amount: 480_000 }))
  t.ok(codes(whale).includes('AMOUNT_UNUSUAL'))
  const usual = await score(app, key, order({ orderId: 'AM-OK', amount: 4500 }))
  t.notOk(codes(usual).includes('AMOUNT_UNUSUAL'))
})

t.test('thresholds are the merchant\'s settings', async (t) => {
  const { app, key, merchantId } = await setUp(t)
  const patch = await app.inject({ method: 'PATCH', url: `/v1/merchants/${merchantId}`, headers: operator, payload: { settings: { thresholds: { elevated: 5, high: 15 } } } })
  t.equal(patch.statusCode, 200, patch.body)
  const res = await score(app, key, order({ orderId: 'TH-1', card: { bin: '401234', last4: '4242', issuerCountry: 'US' } }))
  t.match(res.json(), { score: RULESET.weights.CARD_OVERSEAS, level: 'elevated', recommendation: 'review' })
})

t.test('bad input: schema errors name the field; an unreadable address is scored, not refused', async (t) => {
  const { app, key } = await setUp(t)
  assertProblem(t, await score(app, key, { ...order(), amount: -1, paymentMethod: 'cash' }), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.amount', message: />= 0/ }, { path: 'body.paymentMethod', message: /one of/ }],
  })
  assertProblem(t, await score(app, key, order({ buyer: { ...(order().buyer as object), ip: 'not-an-ip' } })), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.buyer.ip', message: /IPv4 or IPv6/ }],
  })
  assertProblem(t, await score(app, key, order({ shipTo: { address: { prefecture: '東京都' } } })), 'VALIDATION_FAILED', {
    errors: [{ path: 'body.shipTo.address.city', message: 'is required' }, { path: 'body.shipTo.address.town', message: 'is required' }, { path: 'body.shipTo.address.block', message: 'is required' }],
  })
  const abroad = await score(app, key, order({ orderId: 'ABROAD', shipTo: { address: { line: '1600 Amphitheatre Parkway, Mountain View, CA' } } }))
  t.equal(abroad.statusCode, 200, abroad.body)
  t.match(abroad.json(), { addressMatch: { result: 'none' } })
})

t.test('tenancy and scopes', async (t) => {
  const { app, key } = await setUp(t)
  const other = await createMerchant(app, '他社')
  const otherKey = (await createKey(app, other.id)).key
  // Another merchant's blocklist and history never apply.
  await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(otherKey), payload: { type: 'email', value: 'taro@example.co.jp' } })
  await score(app, otherKey, order({ orderId: 'T-1' }))
  await app.inject({ method: 'POST', url: '/v1/orders/T-1/feedback', headers: bearer(otherKey), payload: { type: 'chargeback' } })
  const mine = await score(app, key, order({ orderId: 'T-1' }))
  t.equal(mine.statusCode, 200, 'the same orderId at another merchant is another order')
  t.match(mine.json(), { score: 0, history: 'none', reasons: [] })
  const feedback = await app.inject({ method: 'POST', url: '/v1/orders/T-2/feedback', headers: bearer(otherKey), payload: { type: 'chargeback' } })
  assertProblem(t, feedback, 'NOT_FOUND')
  await score(app, key, order({ orderId: 'T-2' }))
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/orders/T-2/feedback', headers: bearer(otherKey), payload: { type: 'chargeback' } }), 'NOT_FOUND', { detail: /T-2/ })

  const shipping = (await createKey(app, (await createMerchant(app, '出荷')).id, { preset: 'shipping' })).key
  assertProblem(t, await score(app, shipping, order()), 'FORBIDDEN')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/orders/T-2/feedback', headers: bearer(shipping), payload: { type: 'chargeback' } }), 'FORBIDDEN')
  assertProblem(t, await score(app, 'shinsa_nope', order()), 'UNAUTHORIZED')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/orders/score', headers: operator, payload: order() }), 'FORBIDDEN')
})
