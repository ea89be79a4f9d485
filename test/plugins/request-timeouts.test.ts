// Arrival limits by route, over real sockets: a JSON call that does not arrive within
// SHINSA_REQUEST_TIMEOUT_MS is 408; an upload is exempt from that limit but cut when it stalls
// for SHINSA_UPLOAD_IDLE_SECONDS, and keeps nothing of what it sent.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { ADMIN_TOKEN, assertProblem, build, createKey, createMerchant } from '../helper.js'
import { rawClient } from '../raw-http.js'

// Five apps on real sockets, each a PGlite clone: over the 120 s default on a loaded 2-core machine.
t.setTimeout(300_000)

const HEADER = 'issuer,reported_on,prefecture,city,town,block,room,building'
// More than one chunk (5000 lines): the first lands before the stall, and must go with the rest.
const ROWS = 6000
const rows = (n: number) => Array.from({ length: n }, (_, i) => `A社,2026-01-05,東京都,渋谷区,道玄坂,1-${Math.floor(i / 100) + 1}-${(i % 100) + 1},,`).join('\n') + '\n'

async function listening (t: Parameters<typeof build>[0], env: Record<string, string>) {
  const built = await build(t, { env: { SHINSA_REQUEST_TIMEOUT_MS: '1000', SHINSA_UPLOAD_IDLE_SECONDS: '1', ...env } })
  await built.app.listen({ port: 0, host: '127.0.0.1' })
  // A cut is the client's doing: no warning or error is logged for it (nor "reply already sent").
  const quiet = () => t.same(built.logs().filter((l) => Number(l.level) >= 40), [], 'nothing logged at warn or above')
  return { ...built, quiet, port: (built.app.server.address() as AddressInfo).port }
}

const head = (method: string, url: string, headers: Record<string, string | number>) =>
  `${method} ${url} HTTP/1.1\r\nhost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`

t.test('a JSON call whose body stops arriving is 408 at SHINSA_REQUEST_TIMEOUT_MS, and the connection closed', async (t) => {
  const { app, port, quiet } = await listening(t, {})
  const body = JSON.stringify({ name: '届かない商店' })
  const client = await rawClient(port, 10_000)
  const started = Date.now()
  await client.send(head('POST', '/v1/merchants', { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }))
  await client.send(body.slice(0, 5))
  const { response, closed } = await client.answer
  const elapsed = Date.now() - started
  t.ok(response !== undefined, 'answered')
  assertProblem(t, response!, 'REQUEST_TIMEOUT', { detail: /did not arrive within 1 s \(SHINSA_REQUEST_TIMEOUT_MS\)/, instance: '/v1/merchants' })
  t.equal(response!.headers.connection, 'close')
  t.ok(closed, 'the server closed the connection')
  t.ok(elapsed >= 900 && elapsed < 3000, `cut after ~1 s (${elapsed} ms)`)
  const { rows: stored } = await sql<{ n: string }>`select count(*) as n from merchants`.execute(app.db)
  t.equal(Number(stored[0]!.n), 0, 'nothing stored')

  // The same call sent whole is answered as usual.
  const ok = await fetch(`http://127.0.0.1:${port}/v1/merchants`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body })
  t.equal(ok.status, 201)
  quiet()
})

/** Starts a chunked fraud-address import named `name` and sends its first chunk (ROWS rows), no more. */
async function startChunkedImport (client: Awaited<ReturnType<typeof rawClient>>, name: string): Promise<void> {
  await client.send(head('POST', `/v1/fraud-addresses/imports?name=${name}`, { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' }))
  const part = Buffer.from(`${HEADER}\n${rows(ROWS)}`)
  await client.send(`${part.length.toString(16)}\r\n`)
  await client.send(part)
  await client.send('\r\n')
}

t.test('a stalled fraud-address import is cut after SHINSA_UPLOAD_IDLE_SECONDS with 408, nothing of it kept', async (t) => {
  const { app, port, quiet } = await listening(t, {})
  const client = await rawClient(port, 15_000)
  await startChunkedImport(client, 'stalled')
  // …and then nothing: neither the next chunk nor the terminating one.
  const { response, closed, afterLastByteMs } = await client.answer
  t.ok(response !== undefined, 'answered')
  assertProblem(t, response!, 'REQUEST_TIMEOUT', { detail: /sent nothing for 1 s \(SHINSA_UPLOAD_IDLE_SECONDS\); nothing of it was kept/ })
  t.ok(closed, 'the server closed the connection')
  // The server first lands what it was sent (seconds on PGlite under load), then waits 1 s for more.
  t.ok(afterLastByteMs >= 900 && afterLastByteMs < 30_000, `cut after the server had waited 1 s for more (${afterLastByteMs} ms after the last byte)`)
  const imports = await app.db.selectFrom('fraud_address_imports').select(['name', 'status', 'inserted', 'failure']).execute()
  t.match(imports, [{ name: 'stalled', status: 'failed', inserted: 0, failure: /SHINSA_UPLOAD_IDLE_SECONDS/ }], 'the record says it failed, and why')
  const { rows: stored } = await sql<{ n: string }>`select count(*) as n from fraud_addresses`.execute(app.db)
  t.equal(Number(stored[0]!.n), 0, 'no row of it stored, not even the chunk that landed before the stall')
  quiet()
})

t.test('an import that trickles in for longer than SHINSA_REQUEST_TIMEOUT_MS but never stalls finishes', async (t) => {
  const { port, quiet } = await listening(t, {})
  const client = await rawClient(port, 15_000)
  const lines = rows(10).split('\n').filter((l) => l !== '')
  const body = Buffer.from(`${HEADER}\n${lines.join('\n')}\n`)
  await client.send(head('POST', '/v1/fraud-addresses/imports?name=trickle', { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', 'content-length': body.length }))
  // ~2.5 s in all, a piece every 400 ms: over the 1 s call limit, under the 1 s idle limit each time.
  const step = Math.ceil(body.length / 6)
  for (let i = 0; i < body.length; i += step) {
    await client.send(body.subarray(i, i + step))
    if (i + step < body.length) await sleep(400)
  }
  const { response } = await client.answer
  t.equal(response?.statusCode, 201, `finished: ${response?.body.slice(0, 300)}`)
  t.match(response?.json(), { status: 'done', lines: 10, inserted: 10 })
  quiet()
})

t.test('a stalled address-match batch upload (CSV or JSON) is cut with 408, no batch stored', async (t) => {
  const { app, port, quiet } = await listening(t, {})
  const merchant = await createMerchant(app)
  const { key } = await createKey(app, merchant.id)
  const csv = Array.from({ length: 50 }, (_, i) => `ORD-${i},a${i}@example.jp,東京都,渋谷区,道玄坂,1-2-${i + 1},,`).join('\n') + '\n'
  for (const [type, part] of [['text/csv', csv], ['application/json', '{"rows":[{"orderId":"ORD-1"']] as const) {
    const client = await rawClient(port, 15_000)
    await client.send(head('POST', '/v1/address-match-batches', { authorization: `Bearer ${key}`, 'content-type': type, 'content-length': Buffer.byteLength(part) + 1000 }))
    await client.send(part)
    const { response, closed, afterLastByteMs } = await client.answer
    t.ok(response !== undefined, `${type}: answered`)
    assertProblem(t, response!, 'REQUEST_TIMEOUT', { detail: /SHINSA_UPLOAD_IDLE_SECONDS/ })
    t.ok(closed, `${type}: the server closed the connection`)
    t.ok(afterLastByteMs >= 900 && afterLastByteMs < 5000, `${type}: cut ~1 s after the last byte (${afterLastByteMs} ms)`)
  }
  const { rows: stored } = await sql<{ n: string }>`select count(*) as n from address_match_batches`.execute(app.db)
  t.equal(Number(stored[0]!.n), 0, 'no batch stored')
  quiet()
})

t.test('an import whose client hangs up mid-upload keeps nothing either', async (t) => {
  const { app, port, quiet } = await listening(t, { SHINSA_UPLOAD_IDLE_SECONDS: '60' })
  const client = await rawClient(port, 15_000)
  await startChunkedImport(client, 'gone')
  const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(app.db)).rows[0]!.n)
  // Once the first chunk has landed, the client goes.
  const deadline = Date.now() + 20_000
  while (await count(sql<{ n: string }>`select count(*) as n from fraud_addresses`) === 0 && Date.now() < deadline) await sleep(50)
  t.ok(await count(sql<{ n: string }>`select count(*) as n from fraud_addresses`) > 0, 'a chunk landed before the hang-up')
  client.socket.destroy()
  let imports = await app.db.selectFrom('fraud_address_imports').select(['status', 'inserted', 'failure']).execute()
  while (imports[0]?.status === 'running' && Date.now() < deadline) {
    await sleep(50)
    imports = await app.db.selectFrom('fraud_address_imports').select(['status', 'inserted', 'failure']).execute()
  }
  t.match(imports, [{ status: 'failed', inserted: 0, failure: /connection closed before the upload was complete; nothing of it was kept/ }])
  t.equal(await count(sql<{ n: string }>`select count(*) as n from fraud_addresses`), 0, 'the landed chunk is gone')
  quiet()
})
