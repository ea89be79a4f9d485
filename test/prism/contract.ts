// `npm run contract`: shinsa behind Stoplight Prism (5.14, proxy mode, --errors), driven through
// the main flows. Prism checks every request and response against openapi/openapi.json and
// turns a violation into an error answer; any violation fails the run. Prints what it checked.
// Only schema-valid requests go through: Prism itself refuses the others before shinsa sees
// them (the suite and the fuzz test cover shinsa's own 400s).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { request } from 'undici'

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer()
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)) })
  s.on('error', reject)
})

async function waitFor (url: string, ms: number): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    try {
      const res = await request(url)
      await res.body.dump()
      if (res.statusCode < 500) return
    } catch { /* not yet */ }
    if (Date.now() > until) throw new Error(`${url} did not come up within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

// Each child leads a process group of its own, and the whole group is stopped: `npx prism` runs
// Prism as a grandchild, which outlived its npx (and held the caller's stdout open) when only
// the child was signalled.
const children: ChildProcess[] = []
const stopAll = () => {
  for (const c of children) {
    try { if (c.pid !== undefined) process.kill(-c.pid, 'SIGTERM') } catch { /* already gone */ }
  }
}
process.on('exit', stopAll)

type Step = { name: string; method: string; path: string; token: string; body?: unknown; type?: string; expect: number }
const violations: string[] = []
let checked = 0

async function main (): Promise<void> {
  const [appPort, prismPort] = [await freePort(), await freePort()]
  const admin = randomBytes(16).toString('hex')
  children.push(spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(appPort), HOST: '127.0.0.1', SHINSA_DATA_DIR: 'memory://', SHINSA_ADMIN_TOKEN: admin, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  }))
  await waitFor(`http://127.0.0.1:${appPort}/readyz`, 60_000)
  children.push(spawn('npx', ['prism', 'proxy', 'openapi/openapi.json', `http://127.0.0.1:${appPort}`, '--errors', '--port', String(prismPort), '--host', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  }))
  await waitFor(`http://127.0.0.1:${prismPort}/healthz`, 60_000)
  const base = `http://127.0.0.1:${prismPort}`

  const call = async (s: Step): Promise<any> => {
    const res = await request(base + s.path, {
      method: s.method as 'GET',
      headers: { authorization: `Bearer ${s.token}`, ...(s.body !== undefined ? { 'content-type': s.type ?? 'application/json' } : {}) },
      body: s.body === undefined ? undefined : typeof s.body === 'string' ? s.body : JSON.stringify(s.body),
    })
    const text = await res.body.text()
    checked++
    const problem = res.headers['sl-violations']
    if (problem !== undefined) violations.push(`${s.name}: ${String(problem)}`)
    if (res.statusCode !== s.expect) violations.push(`${s.name}: expected ${s.expect}, got ${res.statusCode} ${text.slice(0, 400)}`)
    console.log(`${res.statusCode === s.expect && problem === undefined ? 'ok  ' : 'FAIL'} ${s.method} ${s.path} → ${res.statusCode}  (${s.name})`)
    return text === '' ? null : JSON.parse(text)
  }

  const merchant = await call({ name: 'create merchant', method: 'POST', path: '/v1/merchants', token: admin, body: { name: '契約テスト商店' }, expect: 201 })
  const key = (await call({ name: 'create key', method: 'POST', path: `/v1/merchants/${merchant.id}/api-keys`, token: admin, body: { preset: 'full' }, expect: 201 })).key
  await call({ name: 'read merchant', method: 'GET', path: `/v1/merchants/${merchant.id}`, token: key, expect: 200 })
  await call({ name: 'list keys', method: 'GET', path: `/v1/merchants/${merchant.id}/api-keys`, token: admin, expect: 200 })
  const csv = 'issuer,reported_on,prefecture,city,town,block,room,building\nA社,2026-01-05,東京都,渋谷区,道玄坂,1-2-3,202,\n'
  const imp = await call({ name: 'import fraud addresses', method: 'POST', path: '/v1/fraud-addresses/imports', token: admin, body: csv, type: 'text/csv', expect: 201 })
  await call({ name: 'read import', method: 'GET', path: `/v1/fraud-addresses/imports/${imp.id}`, token: admin, expect: 200 })
  await call({ name: 'search store', method: 'GET', path: '/v1/fraud-addresses?prefecture=東京都', token: admin, expect: 200 })
  await call({ name: 'match address', method: 'POST', path: '/v1/address-matches', token: key, body: { orderId: 'C-1', email: 'a@example.jp', address: { line: '東京都渋谷区道玄坂1-2-3 202' } }, expect: 200 })
  const batch = await call({ name: 'create batch', method: 'POST', path: '/v1/address-match-batches', token: key,
    body: { rows: [{ orderId: 'B-1', email: 'a@example.jp', prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '202' }] }, expect: 202 })
  await call({ name: 'read batch', method: 'GET', path: `/v1/address-match-batches/${batch.id}`, token: key, expect: 200 })
  const buyer = { name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: 'taro@example.co.jp', phone: '03-3210-1234', address: { line: '東京都千代田区丸の内1-1-1 1001' }, ip: '203.0.113.7' }
  const order = { orderId: 'C-100', amount: 12800, paymentMethod: 'card', card: { bin: '401234', last4: '4242', issuerCountry: 'JP' }, buyer, shipTo: { address: { line: '東京都渋谷区道玄坂1-2-3 202' } }, items: [{ name: 'カメラ', category: 'camera', unitPrice: 12800, quantity: 1 }] }
  await call({ name: 'score order', method: 'POST', path: '/v1/orders/score', token: key, body: order, expect: 200 })
  await call({ name: 'replay order', method: 'POST', path: '/v1/orders/score', token: key, body: order, expect: 200 })
  await call({ name: 'conflicting order', method: 'POST', path: '/v1/orders/score', token: key, body: { ...order, amount: 1 }, expect: 409 })
  await call({ name: 'card number refused', method: 'POST', path: '/v1/orders/score', token: key, body: { ...order, orderId: 'C-101', buyer: { ...buyer, name: '4111 1111 1111 1111' } }, expect: 422 })
  await call({ name: 'check shipment', method: 'POST', path: '/v1/shipments/check', token: key, body: { orderId: 'C-100', shipTo: { address: { line: '東京都千代田区丸の内1-1-1 1001' } } }, expect: 200 })
  await call({ name: 'feedback', method: 'POST', path: '/v1/orders/C-100/feedback', token: key, body: { type: 'chargeback' }, expect: 201 })
  await call({ name: 'feedback, unknown order', method: 'POST', path: '/v1/orders/NOPE/feedback', token: key, body: { type: 'chargeback' }, expect: 404 })
  const entry = await call({ name: 'blocklist add', method: 'POST', path: '/v1/blocklist', token: key, body: { type: 'phone', value: '090-1234-5678' }, expect: 201 })
  await call({ name: 'blocklist list', method: 'GET', path: '/v1/blocklist', token: key, expect: 200 })
  await call({ name: 'blocklist read', method: 'GET', path: `/v1/blocklist/${entry.id}`, token: key, expect: 200 })
  await call({ name: 'blocklist delete', method: 'DELETE', path: `/v1/blocklist/${entry.id}`, token: key, expect: 204 })
  const hook = await call({ name: 'webhook add', method: 'POST', path: '/v1/webhooks', token: key, body: { url: 'https://hooks.example.com/shinsa', minLevel: 'elevated', mode: 'digest' }, expect: 201 })
  await call({ name: 'webhook list', method: 'GET', path: '/v1/webhooks', token: key, expect: 200 })
  await call({ name: 'webhook update', method: 'PATCH', path: `/v1/webhooks/${hook.id}`, token: key, body: { minLevel: 'high' }, expect: 200 })
  await call({ name: 'webhook rotate', method: 'POST', path: `/v1/webhooks/${hook.id}/rotate-secret`, token: key, expect: 200 })
  await call({ name: 'webhook test', method: 'POST', path: `/v1/webhooks/${hook.id}/test`, token: key, expect: 202 })
  await call({ name: 'webhook deliveries', method: 'GET', path: `/v1/webhooks/${hook.id}/deliveries`, token: key, expect: 200 })
  await call({ name: 'webhook delete', method: 'DELETE', path: `/v1/webhooks/${hook.id}`, token: key, expect: 204 })
  await call({ name: 'no credentials', method: 'GET', path: `/v1/merchants/${merchant.id}`, token: 'shinsa_nope', expect: 401 })
  await call({ name: 'health', method: 'GET', path: '/healthz', token: '', expect: 200 })

  console.log(`\n${checked} exchanges through Prism, ${violations.length} violation(s)`)
  for (const v of violations) console.log(`  ${v}`)
  stopAll()
  process.exit(violations.length === 0 ? 0 : 1)
}

main().catch((err) => {
  console.error(`contract run failed: ${err instanceof Error ? err.message : String(err)}`)
  stopAll()
  process.exit(1)
})
