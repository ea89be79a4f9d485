// One dead endpoint does not hold up the others: the worker keeps a pool of POSTs on the wire
// and claims as each ends, at most `perEndpoint` to one endpoint; after repeated failures an
// endpoint's circuit opens — its deliveries are postponed, not attempted — and one probe at a
// time tells when it is back.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { sql } from 'kysely'
import type { build } from '../helper.js'
import { webhookApp } from './webhook-fixture.js'
import { startWebhookWorker } from '../../src/jobs/webhook-deliveries.js'
import type { ClaimedDelivery } from '../../src/db/webhook-deliveries.js'
import { recordAttempts } from '../../src/db/webhook-attempts.js'
import { webhookDispatcher } from '../../src/jobs/webhook-dispatcher.js'

/** A local receiver answering `answer()` (a status, or 'hang': never); counts requests. */
async function receiver (t: Parameters<typeof build>[0], answer: () => number | 'hang') {
  let requests = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      requests++
      const a = answer()
      if (a !== 'hang') res.writeHead(a).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests: () => requests }
}

async function setUp (t: Parameters<typeof build>[0]) {
  const { app, endpoint, testEvents, silent } = await webhookApp(t)
  const states = async (id: string) => (await sql<{ status: string; attempts: number; n: number }>`
    select status, attempts, count(*)::int as n from webhook_deliveries where endpoint_id = ${id} group by 1, 2 order by 1, 2`.execute(app.db)).rows
  const circuit = async (id: string) => (await sql<{ failures: number; open_ms: number | null }>`
    select consecutive_failures as failures, (extract(epoch from circuit_open_until - now()) * 1000)::float8 as open_ms
    from webhook_endpoints where id = ${id}`.execute(app.db)).rows[0]!
  return { app, endpoint, testEvents, states, circuit, silent }
}

t.test('a black-holed endpoint holds at most perEndpoint POSTs; the others\' deliveries go out meanwhile', async (t) => {
  const hole = await receiver(t, () => 'hang')
  const fast = await receiver(t, () => 200)
  const { app, endpoint, testEvents, states, silent } = await setUp(t)
  const holeId = await endpoint(hole.url)
  const fastId = await endpoint(fast.url)
  // The black hole's deliveries are older: a worker taking the oldest first meets them first.
  await testEvents(holeId, 10)
  await testEvents(fastId, 30)
  const worker = startWebhookWorker(app.db, silent, { dispatcher: webhookDispatcher({ allowLoopback: true }), pollMs: 20, timeoutMs: 5000, concurrency: 6, perEndpoint: 2 })
  t.teardown(() => worker.stop())
  const started = Date.now()
  // Wait for the 30th result to be recorded, not only received: the receiver answers before the
  // worker writes the delivery's outcome.
  let fastStates = await states(fastId)
  while (!(fastStates.length === 1 && fastStates[0]?.status === 'delivered') && Date.now() - started < 4500) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    fastStates = await states(fastId)
  }
  const holeStates = await states(holeId)
  t.same(fastStates, [{ status: 'delivered', attempts: 1, n: 30 }], 'all 30 healthy deliveries went out and were recorded')
  t.same(holeStates, [{ status: 'pending', attempts: 0, n: 10 }], 'while the black hole\'s first POSTs were still waiting for their timeout')
  t.equal(hole.requests(), 2, 'and it had only two of them on the wire')
})

t.test('failures already on the wire when the circuit opens neither extend nor double its cool-down', async (t) => {
  const hook = await receiver(t, () => 503)
  const { app, endpoint, testEvents, circuit, silent } = await setUp(t)
  const id = await endpoint(hook.url)
  await testEvents(id, 8)
  const settings = { failuresToOpen: 3, baseCooldownMs: 20_000, maxCooldownMs: 600_000 }
  const dispatcher = webhookDispatcher({ allowLoopback: true })
  // Four POSTs go out together and all fail: the third opens the circuit; the fourth was sent before it opened.
  const pool = startWebhookWorker(app.db, silent, { dispatcher, loop: false, perEndpoint: 4, circuit: settings })
  t.equal(await pool.runOnce(), 4)
  const opened = await circuit(id)
  t.equal(opened.failures, 3, 'the count stops at the threshold')
  t.ok(opened.open_ms !== null && opened.open_ms > 15_000 && opened.open_ms <= 20_000, `open for the base cool-down, not twice it (${opened.open_ms?.toFixed(0)} ms left)`)
  // A straggler (sent before the circuit opened, its timeout ending now) changes nothing either;
  // a probe sent after the cool-down does count, and doubles it.
  const openUntil = async () => (await sql<{ u: Date }>`select circuit_open_until as u from webhook_endpoints where id = ${id}`.execute(app.db)).rows[0]!.u
  const until = await openUntil()
  const LATE = randomUUID()
  const late = async (startedAt: Date) => {
    const d = (await sql<ClaimedDelivery>`update webhook_deliveries set lease_owner = ${LATE}, lease_until = now() + interval '1 minute'
      where id = (select id from webhook_deliveries where endpoint_id = ${id} and status = 'pending' and lease_owner is null limit 1)
      returning *`.execute(app.db)).rows[0]!
    return recordAttempts(app.db, LATE, [{ d, verdict: 'failure', outcome: { startedAt, latencyMs: 10_000, status: null, error: 'TimeoutError' }, next: { status: 'pending', nextAttemptAt: new Date(Date.now() + 60_000) } }], settings)
  }
  const stray = await late(new Date(until.getTime() - 21_000))
  t.equal(stray.recorded.size, 1, 'the straggler\'s attempt is recorded')
  t.same(stray.opened, [], 'and opens nothing again')
  t.equal((await circuit(id)).failures, 3, 'the straggler does not count')
  t.equal((await openUntil()).getTime(), until.getTime(), 'nor moves the end of the cool-down')
  await sql`update webhook_endpoints set circuit_open_until = now() - interval '1 second' where id = ${id}`.execute(app.db)
  await sql`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${id} and status = 'pending'`.execute(app.db)
  t.equal(await pool.runOnce(), 1, 'one probe')
  const reopened = await circuit(id)
  t.equal(reopened.failures, 4)
  t.ok(reopened.open_ms !== null && reopened.open_ms > 35_000 && reopened.open_ms <= 40_000, `for twice the cool-down (${reopened.open_ms?.toFixed(0)} ms)`)
  await dispatcher.close()
})

t.test('after repeated failures the circuit opens: deliveries are postponed, not attempted; one probe closes it', async (t) => {
  let answer: number = 503
  const hook = await receiver(t, () => answer)
  const { app, endpoint, testEvents, states, circuit, silent } = await setUp(t)
  const id = await endpoint(hook.url)
  await testEvents(id, 6)
  const settings = { failuresToOpen: 3, baseCooldownMs: 2000, maxCooldownMs: 60_000 }
  const dispatcher = webhookDispatcher({ allowLoopback: true })
  const one = startWebhookWorker(app.db, silent, { dispatcher, loop: false, perEndpoint: 1, circuit: settings })
  for (let i = 0; i < 3; i++) t.equal(await one.runOnce(), 1, `failure ${i + 1}`)
  const opened = await circuit(id)
  t.equal(opened.failures, 3)
  t.ok(opened.open_ms !== null && opened.open_ms > 1000 && opened.open_ms <= 2000, `open for the cool-down (${opened.open_ms?.toFixed(0)} ms left)`)
  t.same(await states(id), [{ status: 'pending', attempts: 0, n: 3 }, { status: 'pending', attempts: 1, n: 3 }], 'three attempted, three waiting')
  const postponed = (await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where d.endpoint_id = ${id} and d.attempts = 0 and d.next_attempt_at = e.circuit_open_until`.execute(app.db)).rows[0]!.n
  t.equal(postponed, 3, 'the waiting ones are postponed to when the circuit may let a probe through')
  await sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending'`.execute(app.db)
  t.equal(await one.runOnce(), 0, 'nothing is sent while it is open, due or not')
  t.equal(hook.requests(), 3)

  // The cool-down passes (the clock is moved, not waited for): half-open.
  const pool = startWebhookWorker(app.db, silent, { dispatcher, loop: false, perEndpoint: 4, circuit: settings })
  const coolDownPasses = () => sql`update webhook_endpoints set circuit_open_until = now() where id = ${id}`.execute(app.db)
  await coolDownPasses()
  t.equal(await pool.runOnce(), 1, 'one probe, though four could go')
  const reopened = await circuit(id)
  t.equal(reopened.failures, 4, 'the failed probe counts')
  t.ok(reopened.open_ms !== null && reopened.open_ms > 3000 && reopened.open_ms <= 4000, `and opens it again twice as long (${reopened.open_ms?.toFixed(0)} ms)`)
  answer = 200
  await coolDownPasses()
  await sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending'`.execute(app.db)
  t.equal(await pool.runOnce(), 1, 'the next probe, alone')
  t.same(await circuit(id), { failures: 0, open_ms: null }, 'succeeds and closes the circuit')
  t.equal(await pool.runOnce(), 4, 'then the endpoint gets its share again')
  await sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending'`.execute(app.db)
  await pool.runOnce()
  const delivered = (await states(id)).filter((s) => s.status === 'delivered').reduce((n, s) => n + s.n, 0)
  t.equal(delivered, 6, 'all six delivered')
  const attempts = (await sql<{ n: number }>`select count(*)::int as n from webhook_attempts`.execute(app.db)).rows[0]!.n
  t.equal(attempts, 3 + 1 + 6, 'attempts: the three failures, the failed probe and one success each — none while open')
  await dispatcher.close()
})
