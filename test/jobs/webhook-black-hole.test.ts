// A black-holed endpoint (accepts the connection, never answers) beside healthy ones: the worker
// never has more than `perEndpoint` sockets open to it, however many of its POSTs time out, and
// POSTs it keeps waiting do not keep the healthy endpoints' deliveries waiting with them.
import { createServer as createHttpServer } from 'node:http'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import t from 'tap'
import { sql } from 'kysely'
import type { build } from '../helper.js'
import { webhookApp } from './webhook-fixture.js'
import { startWebhookWorker } from '../../src/jobs/webhook-deliveries.js'
import { webhookDispatcher } from '../../src/jobs/webhook-dispatcher.js'

type T = Parameters<typeof build>[0]

/**
 * Accepts every connection and never answers. Counts the sockets undici has open to it (now and
 * at most), as the client sees them: the server would see a socket the client has just closed
 * for a moment longer, beside the one it opens next.
 */
async function blackHole (t: T) {
  const accepted = new Set<Socket>()
  let connections = 0
  const server = createNetServer((socket) => {
    connections++
    accepted.add(socket)
    socket.on('data', () => {})
    socket.on('error', () => {})
    socket.on('close', () => accepted.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const open = new Set<Socket>()
  let most = 0
  const connected = (message: unknown) => {
    const { socket, connectParams } = message as { socket: Socket; connectParams: { port: string } }
    if (Number(connectParams.port) !== port) return
    open.add(socket)
    most = Math.max(most, open.size)
    socket.once('close', () => open.delete(socket))
  }
  subscribe('undici:client:connected', connected)
  t.teardown(() => new Promise<void>((resolve) => {
    unsubscribe('undici:client:connected', connected)
    for (const s of accepted) s.destroy()
    server.close(() => resolve())
  }))
  return { url: `http://127.0.0.1:${port}/hook`, open: () => open.size, most: () => most, accepted: () => connections }
}

async function healthy (t: T) {
  const server = createHttpServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
}

async function setUp (t: T) {
  const { app, endpoint, testEvents, silent } = await webhookApp(t)
  const counts = async (id: string) => (await sql<{ attempts: number; delivered: number }>`
    select coalesce(sum(attempts), 0)::int as attempts, (count(*) filter (where status = 'delivered'))::int as delivered
    from webhook_deliveries where endpoint_id = ${id}`.execute(app.db)).rows[0]!
  return { app, endpoint, testEvents, counts, silent }
}

const until = async (done: () => Promise<boolean>, limitMs: number) => {
  const started = Date.now()
  while (!(await done()) && Date.now() - started < limitMs) await new Promise((resolve) => setTimeout(resolve, 20))
}

t.test('timed-out POSTs to a black hole never leave more than perEndpoint sockets open to it', async (t) => {
  const hole = await blackHole(t)
  const { app, endpoint, testEvents, counts, silent } = await setUp(t)
  const id = await endpoint(hole.url)
  await testEvents(id, 20)
  const dispatcher = webhookDispatcher({ allowLoopback: true })
  t.teardown(() => dispatcher.close())
  // The circuit is kept shut: every delivery is tried, and every try ends by the timeout.
  const worker = startWebhookWorker(app.db, silent, {
    dispatcher, pollMs: 10, timeoutMs: 200, concurrency: 10, perEndpoint: 2,
    circuit: { failuresToOpen: 1000, baseCooldownMs: 1, maxCooldownMs: 1 },
  })
  await until(async () => (await counts(id)).attempts >= 12, 20_000)
  await worker.stop()
  t.ok((await counts(id)).attempts >= 12, 'a dozen POSTs timed out, two at a time')
  t.ok(hole.most() <= 2, `at most two sockets were ever open to it at once (${hole.most()}; ${hole.accepted()} accepted)`)
  t.ok(hole.open() <= 2, `and at most two are open once the worker stops (${hole.open()})`)
})

t.test('POSTs a black hole keeps waiting lend their slots: healthy deliveries go out meanwhile', async (t) => {
  const hole = await blackHole(t)
  const { app, endpoint, testEvents, counts, silent } = await setUp(t)
  const holeId = await endpoint(hole.url)
  const fastId = await endpoint(await healthy(t))
  // The black hole's deliveries are older: they fill the whole pool first.
  await testEvents(holeId, 4)
  await testEvents(fastId, 20)
  const dispatcher = webhookDispatcher({ allowLoopback: true })
  const worker = startWebhookWorker(app.db, silent, { dispatcher, pollMs: 10, timeoutMs: 10_000, concurrency: 2, perEndpoint: 2, stallMs: 50 })
  t.teardown(() => worker.stop())
  await until(async () => (await counts(fastId)).delivered === 20, 8000)
  t.same(await counts(fastId), { attempts: 20, delivered: 20 }, 'all twenty healthy deliveries went out and were recorded')
  t.same(await counts(holeId), { attempts: 0, delivered: 0 }, 'while the black hole\'s first two POSTs still waited for their timeout')
  t.equal(hole.accepted(), 2, 'with only those two on the wire to it')
  // Stop without waiting out the black hole's 10 s: end the POSTs by closing the sockets.
  await dispatcher.destroy()
})
