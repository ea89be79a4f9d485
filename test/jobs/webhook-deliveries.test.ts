// Webhook delivery against a real local HTTP server (and undici's MockAgent for faults): the
// signature verifies, retries on 5xx, timeouts and refused connections, none on 410, giving up
// after 24 hours, digests gather an hour's events, and after a crash exactly the pending
// deliveries go out.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { sql } from 'kysely'
import { MockAgent } from 'undici'
import { bearer, build, createKey, createMerchant } from '../helper.js'
import { HOME, order } from '../routes/v1/order-fixture.js'
import { startWebhookWorker } from '../../src/jobs/webhook-deliveries.js'
import { webhookDispatcher } from '../../src/jobs/webhook-dispatcher.js'
import { verifySignature } from '../../src/domain/webhooks/signature.js'
import { MAX_DIGEST_EVENTS } from '../../src/domain/webhooks/payload.js'

type Received = { headers: IncomingMessage['headers']; body: string }

/** A local receiver answering with `answer(n)` for the n-th request (a status, or 'hang'). */
async function receiver (t: Parameters<typeof build>[0], answer: (n: number) => number | 'hang' = () => 200) {
  const received: Received[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => { body += c })
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      const a = answer(received.length)
      if (a === 'hang') return
      res.writeHead(a, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }
}

async function setUp (t: Parameters<typeof build>[0], url: string, endpoint: Record<string, unknown> = {}) {
  const built = await build(t, { env: { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true' } })
  const { app } = built
  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { url, minLevel: 'elevated', mode: 'immediate', ...endpoint } })
  t.equal(created.statusCode, 201, created.body)
  // An order that is high: its e-mail is on the blocklist.
  await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'email', value: 'fraud@example.jp' } })
  const risky = (orderId: string) => app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId, buyer: { ...(order().buyer as object), email: 'fraud@example.jp' } }) })
  const silent = app.log.child({}, { level: 'silent' })
  const deliveries = async () => (await sql<{ status: string; attempts: number; last_status: number | null; last_error: string | null }>`
    select status, attempts, last_status, last_error from webhook_deliveries order by created_at, id`.execute(app.db)).rows
  const due = () => sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending'`.execute(app.db)
  return { ...built, merchantId: m.id, key, endpoint: created.json(), risky, silent, deliveries, due }
}

t.test('a high order is delivered at once, signed; a low one is not sent', async (t) => {
  const hook = await receiver(t)
  const { app, key, endpoint, risky, silent, merchantId, deliveries } = await setUp(t, hook.url)
  const scored = await risky('W-1')
  t.equal(scored.json().level, 'high')
  await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId: 'W-LOW' }) })
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  t.equal(await worker.runOnce(), 1, 'one delivery: the low order queued nothing')
  t.equal(hook.received.length, 1)
  const { headers, body } = hook.received[0]!
  t.ok(verifySignature(endpoint.secret, body, String(headers['shinsa-signature']), new Date()), 'the signature verifies with the secret')
  t.notOk(verifySignature(endpoint.secret, body.replace('W-1', 'W-2'), String(headers['shinsa-signature']), new Date()), 'and not over another body')
  const payload = JSON.parse(body)
  t.match(payload, { id: /^[0-9a-f-]{36}$/, type: 'order.scored', created: /Z$/, merchantId, data: scored.json() })
  t.equal(headers['content-type'], 'application/json')
  t.same(await deliveries(), [{ status: 'delivered', attempts: 1, last_status: 200, last_error: null }])
  t.equal(await worker.runOnce(), 0, 'nothing is sent twice')
  const log = await app.inject({ method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries`, headers: bearer(key) })
  t.match(log.json().items[0], { status: 'delivered', eventId: payload.id, attempts: [{ attempt: 1, status: 200, error: null }] })
})

t.test('5xx is retried with backoff until it succeeds; 410 is never retried', async (t) => {
  const hook = await receiver(t, (n) => (n === 1 ? 503 : 200))
  const { app, risky, silent, deliveries, due } = await setUp(t, hook.url)
  await risky('R-1')
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  await worker.runOnce()
  t.match(await deliveries(), [{ status: 'pending', attempts: 1, last_status: 503 }])
  const next = (await sql<{ wait: number }>`select extract(epoch from next_attempt_at - now())::float8 as wait from webhook_deliveries`.execute(app.db)).rows[0]!.wait
  t.ok(next > 0 && next <= 20, `the next attempt is scheduled a little later (${next.toFixed(1)} s)`)
  t.equal(await worker.runOnce(), 0, 'not before its time')
  await due()
  await worker.runOnce()
  t.match(await deliveries(), [{ status: 'delivered', attempts: 2, last_status: 200 }])
  t.equal(hook.received.length, 2)
  t.equal(JSON.parse(hook.received[0]!.body).id, JSON.parse(hook.received[1]!.body).id, 'a retry carries the same payload id')

  const gone = await receiver(t, () => 410)
  const g = await setUp(t, gone.url)
  await g.risky('G-1')
  const w2 = startWebhookWorker(g.app.db, g.silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  await w2.runOnce()
  t.match(await g.deliveries(), [{ status: 'failed', attempts: 1, last_status: 410 }])
  await g.due()
  t.equal(await w2.runOnce(), 0, 'a failed delivery is not claimed again')
})

t.test('timeouts and refused connections are retried; after 24 hours the delivery fails', async (t) => {
  const hook = await receiver(t, () => 'hang')
  const { app, risky, silent, deliveries, due } = await setUp(t, hook.url)
  await risky('T-1')
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false, timeoutMs: 300 })
  await worker.runOnce()
  const [d] = await deliveries()
  t.match(d, { status: 'pending', attempts: 1, last_status: null })
  t.match(d!.last_error, /Timeout|Abort/i)

  const mock = new MockAgent()
  mock.disableNetConnect()
  mock.get(new URL(hook.url).origin).intercept({ path: '/hook', method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
  await due()
  const w2 = startWebhookWorker(app.db, silent, { dispatcher: mock, loop: false })
  await w2.runOnce()
  t.match(await deliveries(), [{ status: 'pending', attempts: 2, last_status: null }])
  // A day later the budget is spent: the next failure is final.
  await sql`update webhook_deliveries set first_attempt_at = now() - interval '25 hours', next_attempt_at = now()`.execute(app.db)
  mock.get(new URL(hook.url).origin).intercept({ path: '/hook', method: 'POST' }).reply(500, 'down')
  await w2.runOnce()
  t.match(await deliveries(), [{ status: 'failed', attempts: 3, last_status: 500 }])
  await mock.close()
})

t.test('a loopback name is refused at connect time unless loopback is allowed', async (t) => {
  const hook = await receiver(t)
  const { app, risky, silent, deliveries } = await setUp(t, hook.url.replace('127.0.0.1', 'localhost'))
  await risky('L-1')
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: false }), loop: false })
  await worker.runOnce()
  t.equal(hook.received.length, 0, 'nothing reached the private address')
  t.match((await deliveries())[0], { status: 'pending', last_error: /EPRIVATEADDRESS/ })
})

t.test('a digest gathers the events of its hour into one signed delivery', async (t) => {
  const hook = await receiver(t)
  const { app, risky, silent, endpoint, merchantId, deliveries, due } = await setUp(t, hook.url, { mode: 'digest' })
  await risky('D-1')
  await risky('D-2')
  const rows = (await sql<{ n: number; slot: Date }>`select count(*)::int as n, min(digest_slot) as slot from webhook_deliveries`.execute(app.db)).rows[0]!
  t.equal(rows.n, 1, 'one delivery for the hour')
  t.ok(new Date(rows.slot).getTime() > Date.now(), 'sent at the top of a later hour, not now')
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  t.equal(await worker.runOnce(), 0, 'nothing before its hour')
  await due()
  await worker.runOnce()
  const payload = JSON.parse(hook.received[0]!.body)
  t.match(payload, { type: 'digest', merchantId, events: [{ type: 'order.scored', data: { orderId: 'D-1' } }, { type: 'order.scored', data: { orderId: 'D-2' } }] })
  t.ok(verifySignature(endpoint.secret, hook.received[0]!.body, String(hook.received[0]!.headers['shinsa-signature']), new Date()))
  t.match(await deliveries(), [{ status: 'delivered' }])
})

t.test('a digest carries at most maxDigestEvents events; the rest of its hour go in the next delivery', async (t) => {
  const hook = await receiver(t)
  const { app, risky, silent, deliveries, due } = await setUp(t, hook.url, { mode: 'digest', window: { start: '00:00', end: '23:00' } })
  for (let i = 1; i <= 7; i++) await risky(`P-${i}`)
  t.equal((await deliveries()).length, 1, 'one digest for the hour')
  await due()
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false, maxDigestEvents: 3 })
  for (let round = 0; round < 5 && (await deliveries()).some((d) => d.status === 'pending'); round++) {
    await due()
    await worker.runOnce()
  }
  const pages = hook.received.map((r) => JSON.parse(r.body) as { id: string; type: string; events: Array<{ data: { orderId: string } }> })
  t.same(pages.map((p) => p.events.length), [3, 3, 1], 'three deliveries: 3, 3 and the last 1')
  t.equal(new Set(pages.map((p) => p.id)).size, 3, 'each with its own id')
  t.same(pages.flatMap((p) => p.events.map((e) => e.data.orderId)), ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6', 'P-7'], 'every event once, oldest first')
  t.same((await deliveries()).map((d) => d.status), ['delivered', 'delivered', 'delivered'])
})

t.test('the cap on a digest is 500 events', async (t) => {
  t.equal(MAX_DIGEST_EVENTS, 500)
})

t.test('a crash between commit and delivery: on restart exactly the pending deliveries go out', async (t) => {
  const hook = await receiver(t)
  const { app, risky, silent, deliveries } = await setUp(t, hook.url)
  await risky('C-1')
  const first = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  t.equal(await first.runOnce(), 1)
  await risky('C-2')
  await risky('C-3')
  // The process dies after answering: C-2 and C-3 are committed with their events, never sent;
  // a dying worker had even leased C-2.
  await sql`update webhook_deliveries set lease_until = now() + interval '1 hour' where status = 'pending' and event_id in (
    select id from webhook_events where data->>'orderId' = 'C-2')`.execute(app.db)
  await sql`update webhook_deliveries set lease_until = now() - interval '1 second' where lease_until is not null`.execute(app.db)
  const restarted = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  t.equal(await restarted.runOnce(), 2, 'the two pending deliveries, the lapsed lease included')
  const orderIds = hook.received.map((r) => JSON.parse(r.body).data.orderId as string)
  t.equal(orderIds[0], 'C-1', 'C-1 went out before the crash')
  t.same(orderIds.slice(1).sort(), ['C-2', 'C-3'], 'after it C-2 and C-3, each once (in either order)')
  t.equal(await restarted.runOnce(), 0, 'and nothing else')
  t.same((await deliveries()).map((d) => d.status), ['delivered', 'delivered', 'delivered'])
})

t.test('shipment.checked (not proceed) and the test event are delivered; a replayed order enqueues nothing', async (t) => {
  const hook = await receiver(t)
  const { app, key, risky, endpoint, logs } = await setUp(t, hook.url)
  await risky('S-1')
  await risky('S-1')
  await app.inject({ method: 'POST', url: '/v1/shipments/check', headers: bearer(key), payload: { orderId: 'S-1', shipTo: { address: HOME } } })
  await app.inject({ method: 'POST', url: '/v1/shipments/check', headers: bearer(key), payload: { orderId: 'S-CLEAN', shipTo: { address: HOME } } })
  await app.inject({ method: 'POST', url: `/v1/webhooks/${endpoint.id}/test`, headers: bearer(key) })
  const worker = startWebhookWorker(app.db, app.log, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  t.equal(await worker.runOnce(), 3, 'one round')
  t.same(hook.received.map((r) => JSON.parse(r.body).type).sort(), ['order.scored', 'shipment.checked', 'test'])
  // The round's attempts are recorded (in one statement: the one-by-one fallback says so in the log).
  const recorded = (await sql<{ delivered: number; attempts: number }>`select
    (select count(*)::int from webhook_deliveries where status = 'delivered' and lease_owner is null) as delivered,
    (select count(*)::int from webhook_attempts where status = 200) as attempts`.execute(app.db)).rows[0]
  t.same(recorded, { delivered: 3, attempts: 3 })
  t.same(logs().filter((l) => /one by one|not recorded|not sent/.test(String(l.msg))), [], 'recorded together, nothing lost')
})

t.test('an attempt whose lease was taken meanwhile is not recorded; a delivery failing for its own reason is let go', async (t) => {
  let app: Awaited<ReturnType<typeof setUp>>['app'] | undefined
  // The receiver stands in for a lease that lapsed while the POST was out: another worker holds it when the answer comes.
  let requests = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (++requests > 1) return void res.writeHead(200).end('ok')
      void sql`update webhook_deliveries set lease_owner = gen_random_uuid(), lease_until = now() + interval '1 hour'`.execute(app!.db)
        .then(() => res.writeHead(200).end('ok'))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  const set = await setUp(t, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`)
  app = set.app
  await set.risky('L-1')
  const worker = startWebhookWorker(app.db, set.silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  t.equal(await worker.runOnce(), 1)
  t.match(await set.deliveries(), [{ status: 'pending', attempts: 0 }], 'the stale attempt did not overwrite the new holder')
  const held = (await sql<{ n: number; owned: boolean }>`select (select count(*)::int from webhook_attempts) as n,
    bool_and(lease_owner is not null and lease_until > now()) as owned from webhook_deliveries`.execute(app.db)).rows[0]!
  t.same(held, { n: 0, owned: true }, 'no attempt row; the other worker keeps its lease')

  // A failure that is not the database's (here its attempt number is already taken): the worker
  // lets go, and does not take it straight back on every round.
  await sql`update webhook_deliveries set lease_owner = null, lease_until = null`.execute(app.db)
  await sql`insert into webhook_attempts (merchant_id, delivery_id, attempt, started_at, latency_ms, status, error)
    select merchant_id, id, 1, now(), 1, 500, null from webhook_deliveries`.execute(app.db)
  // A second delivery in the same round: the round's attempts are recorded together; that fails
  // on the bad one, and the bad one must not cost the good one its record.
  await set.risky('L-2')
  await t.rejects(worker.runOnce(), { code: '23505' })
  t.equal(await worker.runOnce(), 0, 'not claimed again while its lease runs')
  const after = (await sql<{ order_id: string; status: string; owner: string | null; leased: boolean | null }>`
    select e.data->>'orderId' as order_id, d.status, d.lease_owner as owner, d.lease_until > now() as leased
    from webhook_deliveries d join webhook_events e on e.merchant_id = d.merchant_id and e.id = d.event_id order by 1`.execute(app.db)).rows
  t.same(after, [
    { order_id: 'L-1', status: 'pending', owner: null, leased: true },
    { order_id: 'L-2', status: 'delivered', owner: null, leased: null },
  ], 'the bad one let go, to lapse like a dead worker\'s lease; the good one recorded')
  const attemptsOfL2 = await sql<{ n: number }>`select count(*)::int as n from webhook_attempts a join webhook_deliveries d on d.merchant_id = a.merchant_id and d.id = a.delivery_id
    join webhook_events e on e.merchant_id = d.merchant_id and e.id = d.event_id where e.data->>'orderId' = 'L-2'`.execute(app.db)
  t.equal(attemptsOfL2.rows[0]!.n, 1, 'with its attempt')
})

t.test('a quick answer is recorded as it comes, not after the slowest endpoint of its round', async (t) => {
  const fast = await receiver(t)
  const slow = await receiver(t, () => 'hang')
  const { app, key, risky, silent } = await setUp(t, fast.url)
  const second = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { url: slow.url, minLevel: 'elevated', mode: 'immediate' } })
  t.equal(second.statusCode, 201)
  await risky('Q-1')
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false, timeoutMs: 3000 })
  const started = Date.now()
  const round = worker.runOnce()
  const state = async () => (await sql<{ url: string; status: string; attempts: number }>`select e.url, d.status, d.attempts
    from webhook_deliveries d join webhook_endpoints e on e.merchant_id = d.merchant_id and e.id = d.endpoint_id`.execute(app.db)).rows
  let fastRecordedAt: number | undefined
  while (fastRecordedAt === undefined && Date.now() - started < 2500) {
    if ((await state()).some((r) => r.url === fast.url && r.status === 'delivered')) fastRecordedAt = Date.now() - started
    else await new Promise((resolve) => setTimeout(resolve, 25))
  }
  t.ok(fastRecordedAt !== undefined, `the quick delivery was recorded ${fastRecordedAt} ms in, while the slow one was still out`)
  t.equal(await round, 2)
  t.same((await state()).map((r) => [r.url === fast.url ? 'fast' : 'slow', r.status, r.attempts]).sort(), [['fast', 'delivered', 1], ['slow', 'pending', 1]])
})
