// Digest events are never lost to a digest already taken: an event attached while its hour's
// digest is on the wire goes in another digest of that hour, and events scored while digests
// are being claimed and sent all arrive, each in exactly one digest. On PostgreSQL the attaches
// and the worker run on separate pooled connections at once; on the embedded database their
// statements interleave. Scripted 100 times in a row (see the report in the README's webhook section).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { sql } from 'kysely'
import { bearer, build, createKey, createMerchant } from '../helper.js'
import { order } from '../routes/v1/order-fixture.js'
import { startWebhookWorker } from '../../src/jobs/webhook-deliveries.js'
import { webhookDispatcher } from '../../src/jobs/webhook-dispatcher.js'

type Digest = { id: string; type: string; events: Array<{ id: string; data: { orderId: string } }> }

/** A receiver of digests; `onDigest` runs before each answer (while that delivery is still on the wire). */
async function receiver (t: Parameters<typeof build>[0], onDigest: (d: Digest) => Promise<void> = async () => {}) {
  const received: Digest[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => { body += c })
    req.on('end', () => {
      const d = JSON.parse(body) as Digest
      received.push(d)
      void onDigest(d).finally(() => res.writeHead(200).end('ok'))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }
}

async function setUp (t: Parameters<typeof build>[0], url: string) {
  const built = await build(t, { env: { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true' } })
  const { app } = built
  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  // Every hour of the day but 23:00 sends: the digest of any event is at most a day away.
  const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { url, minLevel: 'elevated', mode: 'digest', window: { start: '00:00', end: '23:00' } } })
  t.equal(created.statusCode, 201, created.body)
  await app.inject({ method: 'POST', url: '/v1/blocklist', headers: bearer(key), payload: { type: 'email', value: 'fraud@example.jp' } })
  const risky = async (orderId: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: bearer(key), payload: order({ orderId, buyer: { ...(order().buyer as object), email: 'fraud@example.jp' } }) })
    if (res.statusCode !== 200 || res.json().level !== 'high') throw new Error(`score ${orderId}: ${res.statusCode} ${res.body}`)
  }
  // The hour comes: every digest waiting for it is due now.
  const hourComes = () => sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending' and next_attempt_at > now()`.execute(app.db)
  const pending = async () => (await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`.execute(app.db)).rows[0]!.n
  return { app, risky, hourComes, pending, silent: app.log.child({}, { level: 'silent' }) }
}

/** Each order id with the distinct digests (by payload id) that carried it. */
function carriers (received: Digest[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const d of received) for (const e of d.events) out.set(e.data.orderId, (out.get(e.data.orderId) ?? new Set()).add(d.id))
  return out
}

t.test('an event scored while its hour\'s digest is on the wire goes in the next digest of that hour', async (t) => {
  let late: Promise<void> | undefined
  let app: Awaited<ReturnType<typeof setUp>> | undefined
  const hook = await receiver(t, async (d) => {
    // The first digest is being posted: an order is scored within the same hour.
    if (d.events.some((e) => e.data.orderId === 'A-1')) await (late ??= app!.risky('A-LATE'))
  })
  app = await setUp(t, hook.url)
  await app.risky('A-1')
  await app.risky('A-2')
  await app.hourComes()
  const worker = startWebhookWorker(app.app.db, app.silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), loop: false })
  t.equal(await worker.runOnce(), 1, 'the hour\'s digest')
  t.ok(late !== undefined, 'an order was scored while it was on the wire')
  const slots = (await sql<{ slot: Date; n: number }>`select digest_slot as slot, count(*)::int as n from webhook_deliveries group by 1`.execute(app.app.db)).rows
  t.equal(slots.length, 1, 'both digests are of the same hour')
  t.equal(slots[0]!.n, 2, 'the late order opened a second digest of that hour')
  await app.hourComes()
  t.equal(await worker.runOnce(), 1, 'the second digest')
  t.same(hook.received.map((d) => d.events.map((e) => e.data.orderId).sort()), [['A-1', 'A-2'], ['A-LATE']])
  t.equal(await app.pending(), 0, 'nothing left behind')
})

t.test('orders scored while digests are claimed and sent: every event in exactly one digest', async (t) => {
  const hook = await receiver(t)
  const { app, risky, hourComes, pending, silent } = await setUp(t, hook.url)
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), pollMs: 2 })
  let scoring = true
  // The hour keeps coming: whatever digest exists is due at once, so claims race the attaches.
  const clock = (async () => { while (scoring) { await hourComes(); await new Promise((resolve) => setTimeout(resolve, 3)) } })()
  const ORDERS = 4
  const EACH = 15
  await Promise.all(Array.from({ length: ORDERS }, async (_, c) => {
    for (let i = 0; i < EACH; i++) await risky(`R-${c}-${i}`)
  }))
  scoring = false
  await clock
  await hourComes()
  const started = Date.now()
  while (await pending() > 0 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 20))
  await worker.stop()
  t.equal(await pending(), 0, 'every digest was delivered')
  const expected = Array.from({ length: ORDERS * EACH }, (_, n) => `R-${Math.floor(n / EACH)}-${n % EACH}`).sort()
  const seen = carriers(hook.received)
  t.same([...seen.keys()].sort(), expected, 'every order scored arrived')
  t.same([...seen].filter(([, ids]) => ids.size !== 1), [], 'each in exactly one digest')
  const digests = (await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries`.execute(app.db)).rows[0]!.n
  t.ok(digests > 1, `the events went out in ${digests} digests, ${new Set(hook.received.map((d) => d.id)).size} received`)
})
