// A merchant's retentionDays: 400 by default, at least 120 (a chargeback's window), at most the
// operator's SHINSA_RETENTION_MAX_DAYS, with a problem naming the field either side.
import t from 'tap'
import { assertProblem, build, operator } from '../../helper.js'

t.test('retentionDays: default, change, and the bounds', async (t) => {
  const { app } = await build(t, { env: { SHINSA_RETENTION_MAX_DAYS: '730' } })
  const created = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: '保存期間商店' } })
  t.equal(created.statusCode, 201)
  t.equal(created.json().settings.retentionDays, 400, 'default 400 days')
  const id = created.json().id as string

  const patched = await app.inject({ method: 'PATCH', url: `/v1/merchants/${id}`, headers: operator, payload: { settings: { retentionDays: 540 } } })
  t.equal(patched.statusCode, 200)
  t.same(patched.json().settings, { thresholds: { elevated: 10, high: 50 }, retentionDays: 540, rules: { publishRequiresSecondKey: false } })

  const tooLong = await app.inject({ method: 'PATCH', url: `/v1/merchants/${id}`, headers: operator, payload: { settings: { retentionDays: 731 } } })
  assertProblem(t, tooLong, 'RETENTION_TOO_LONG', { errors: [{ path: 'body.settings.retentionDays', message: /at most 730/ }] })
  const tooShort = await app.inject({ method: 'PATCH', url: `/v1/merchants/${id}`, headers: operator, payload: { settings: { retentionDays: 119 } } })
  assertProblem(t, tooShort, 'VALIDATION_FAILED', { errors: [{ path: 'body.settings.retentionDays', message: />= 120/ }] })
  const atCreate = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: 'x', settings: { retentionDays: 1000 } } })
  assertProblem(t, atCreate, 'RETENTION_TOO_LONG', { errors: [{ path: 'body.settings.retentionDays', message: /at most 730/ }] })

  const after = await app.inject({ method: 'GET', url: `/v1/merchants/${id}`, headers: operator })
  t.equal(after.json().settings.retentionDays, 540, 'refused changes change nothing')
})

t.test('an operator maximum below 400 caps the default', async (t) => {
  const { app } = await build(t, { env: { SHINSA_RETENTION_MAX_DAYS: '180' } })
  const created = await app.inject({ method: 'POST', url: '/v1/merchants', headers: operator, payload: { name: '短期商店' } })
  t.equal(created.json().settings.retentionDays, 180)
})
