// What a flood of made-up keys costs the instance: every failed authentication answered late
// (SHINSA_FAILED_AUTH_DELAY_MS), and never-seen keys looked up a few at a time, so known
// callers neither wait behind the flood's lookups nor are held back themselves.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { assertProblem, bearer, build, createKey, createMerchant } from '../helper.js'
import { UNSEEN_LOOKUPS_IN_FLIGHT, UNSEEN_LOOKUPS_WAITING } from '../../src/plugins/auth.js'

const madeUp = () => `shinsa_${randomBytes(32).toString('base64url')}`
const from = (address: string, headers: Record<string, string> = {}) => ({ remoteAddress: address, headers })

t.test('every failed authentication is answered after SHINSA_FAILED_AUTH_DELAY_MS; a key known valid is not held back', async (t) => {
  const { app } = await build(t, { env: { SHINSA_UNAUTH_RATE_LIMIT_PER_MINUTE: '2', SHINSA_FAILED_AUTH_DELAY_MS: '1500' } })
  const m = await createMerchant(app)
  const { key } = await createKey(app, m.id)
  const url = `/v1/merchants/${m.id}`
  t.equal((await app.inject({ method: 'GET', url, ...from('198.51.100.20', bearer(key)) })).statusCode, 200, 'the key is seen valid')
  const timed = async (headers: Record<string, string>) => {
    const t0 = performance.now()
    const res = await app.inject({ method: 'GET', url, ...from('192.0.2.8', headers) })
    return { res, ms: performance.now() - t0 }
  }
  // Two 401s within its limit (one after the other: counts read by concurrent requests of one
  // address all see the latest count), then eleven 429s past it at once; each waits, the eleven
  // together rather than one after another.
  const under = [await timed(bearer(madeUp())), await timed({})]
  const t0 = performance.now()
  const over = await Promise.all(Array.from({ length: 11 }, () => timed(bearer(madeUp()))))
  const all = performance.now() - t0
  t.same(under.map((f) => f.res.statusCode), [401, 401])
  t.ok(over.every((f) => f.res.statusCode === 429))
  for (const f of [...under, ...over]) t.ok(f.ms >= 1450, `${f.res.statusCode} after ${f.ms.toFixed(0)} ms`)
  t.ok(all < 2 * 1450, `the waits overlap (${all.toFixed(0)} ms for eleven)`)
  const known = await timed(bearer(key))
  t.equal(known.res.statusCode, 200, 'a key known valid is answered from the same address')
  t.ok(known.ms < 1450, `without the wait (${known.ms.toFixed(0)} ms)`)
})

t.test('made-up keys from many addresses wait behind each other for a few lookups, never in front of a known key', async (t) => {
  const { app } = await build(t)
  const m = await createMerchant(app)
  const { key } = await createKey(app, m.id)
  const url = `/v1/merchants/${m.id}`
  t.equal((await app.inject({ method: 'GET', url, headers: bearer(key) })).statusCode, 200, 'the known key is cached')
  // The database is slow for unseen keys: hold the lookup slots until released.
  let release!: () => void
  const held = new Promise<void>((resolve) => { release = resolve })
  const slots = Array.from({ length: UNSEEN_LOOKUPS_IN_FLIGHT }, () => app.unseenKeyLookups(() => held))
  const flood = Array.from({ length: UNSEEN_LOOKUPS_WAITING + 25 }, (_, i) =>
    app.inject({ method: 'GET', url, ...from(`203.0.113.${i % 250}`, bearer(madeUp())) }))
  const known = await app.inject({ method: 'GET', url, headers: bearer(key) })
  t.equal(known.statusCode, 200, 'the known key answers while every lookup slot is taken')
  t.equal(app.unseenKeyLookups.activeCount, UNSEEN_LOOKUPS_IN_FLIGHT, `no more than ${UNSEEN_LOOKUPS_IN_FLIGHT} unseen keys on the database at once`)
  t.equal(app.unseenKeyLookups.pendingCount, UNSEEN_LOOKUPS_WAITING, 'the rest wait, up to the cap')
  release()
  await Promise.all(slots)
  const answers = await Promise.all(flood)
  const over = answers.filter((a) => a.statusCode === 429)
  t.equal(over.length, 25, 'beyond the cap: 429 at once')
  assertProblem(t, over[0]!, 'RATE_LIMITED', { detail: /unrecognised API keys are being checked at once/ })
  t.equal(over[0]!.headers['retry-after'], '1')
  t.equal(answers.filter((a) => a.statusCode === 401).length, UNSEEN_LOOKUPS_WAITING, 'the waiting ones were looked up: 401')
  t.equal(app.unseenKeyLookups.activeCount + app.unseenKeyLookups.pendingCount, 0)
})
