// Two fraud-address imports at once, with the same rows in opposite orders: both finish, every
// row is stored once, and the two records' counts add up (on PostgreSQL such a pair deadlocked).
import t from 'tap'
import { sql } from 'kysely'
import { build, operator } from '../../helper.js'

const HEADER = 'issuer,reported_on,prefecture,city,town,block,room,building'
const csvHeaders = { ...operator, 'content-type': 'text/csv' }
// Fewer rows than one chunk (5000): each import lands them in one transaction, in file order.
const ROWS = 3000
const ROUNDS = 4

const lines = (round: number) => Array.from({ length: ROWS }, (_, i) => `A社,2026-01-05,東京都,渋谷区,道玄坂,${round + 1}-${Math.floor(i / 100) + 1}-${(i % 100) + 1},,`)

t.test('two imports of overlapping rows in opposite orders both finish, each row stored once', async (t) => {
  const { app } = await build(t)
  for (let round = 0; round < ROUNDS; round++) {
    const rows = lines(round)
    const forward = [HEADER, ...rows].join('\n') + '\n'
    const backward = [HEADER, ...[...rows].reverse()].join('\n') + '\n'
    const [a, b] = await Promise.all([
      app.inject({ method: 'POST', url: `/v1/fraud-addresses/imports?name=forward-${round}`, headers: csvHeaders, payload: forward }),
      app.inject({ method: 'POST', url: `/v1/fraud-addresses/imports?name=backward-${round}`, headers: csvHeaders, payload: backward }),
    ])
    t.equal(a.statusCode, 201, `round ${round}, forward import answered`, { body: a.body.slice(0, 300) })
    t.equal(b.statusCode, 201, `round ${round}, backward import answered`, { body: b.body.slice(0, 300) })
    if (a.statusCode !== 201 || b.statusCode !== 201) continue
    const [ra, rb] = [a.json(), b.json()]
    t.match(ra, { status: 'done', lines: ROWS, rejected: 0 })
    t.match(rb, { status: 'done', lines: ROWS, rejected: 0 })
    t.equal(ra.inserted + rb.inserted, ROWS, `round ${round}: every row inserted by exactly one import`)
    t.equal(ra.duplicates + rb.duplicates, ROWS, `round ${round}: the other import counted it a duplicate`)
    const { rows: stored } = await sql<{ n: string }>`select count(*) as n from fraud_addresses where block like ${`${round + 1}-%`}`.execute(app.db)
    t.equal(Number(stored[0]!.n), ROWS, `round ${round}: stored once each`)
  }
})
