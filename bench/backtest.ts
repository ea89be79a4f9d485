// `npx tsx bench/backtest.ts`: the backtest worker over 1,000,000 stored orders on PostgreSQL
// (DATABASE_URL's server; a database of its own, dropped at the end). Orders are generated in SQL
// from a few feature templates (amount, prefecture, signals varied; ~2 % labeled), then a 10-rule
// and a 50-rule version are backtested by the worker's own run function. Prints rows/s, wall
// time and peak RSS against the target: 1 M orders in ≤ 60 s, memory flat.
import { loadavg } from 'node:os'
import pg from 'pg'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pino from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import { cleanup, cleanupOnSignals } from './lib/cleanup.js'
import { createBenchDatabase, describeDatabase } from './lib/database.js'
import { insertBacktest, findBacktest } from '../src/db/backtests.js'
import { migrateToLatest } from '../src/db/migrate.js'
import type { DB } from '../src/db/types.js'
import type { Rule } from '../src/domain/rules/ruleset.js'
import { startBacktestWorker } from '../src/jobs/backtests.js'
import { RULESET } from '../src/domain/scoring/ruleset.js'
import { FEATURE_TEMPLATES } from './lib/backtest-features.js'
import { KINDS } from './lib/rule-kinds.js'

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000)
const PAGE = Number(process.env.BENCH_PAGE ?? 5000)
const THREADS = Number(process.env.BENCH_THREADS ?? 2)
const TARGET_S = 60

const rules = (n: number): Rule[] => Array.from({ length: n }, (_, i) => ({
  id: `r${i}`, name: `rule ${i}`, when: KINDS[i % KINDS.length]!, action: i % 10 === 0 ? { set: 'hold' } : { add: 5 },
}))

async function seed (db: Kysely<DB>, merchantId: string): Promise<void> {
  await sql`create temporary table templates (k int primary key, features jsonb, score int, level text, recommendation text)`.execute(db)
  for (const [k, t] of FEATURE_TEMPLATES.entries()) {
    await sql`insert into templates values (${k}, ${JSON.stringify(t.features)}::jsonb, ${t.score}, ${t.level}, ${t.recommendation})`.execute(db)
  }
  const prefectures = ['東京都', '大阪府', '神奈川県', '愛知県', '福岡県', '北海道', '沖縄県', '京都府']
  const trace = { builtin: RULESET.version, ruleset: null, thresholds: { elevated: 10, high: 50 }, builtinScore: 0, contributions: [], rules: [], floor: null, decidedBy: { by: 'score' } }
  const CHUNK = 100_000
  for (let lo = 1; lo <= ORDERS; lo += CHUNK) {
    const hi = Math.min(ORDERS, lo + CHUNK - 1)
    // amount: 1,000–100,000 円 spread by a multiplicative hash; template by i % 8 (mostly clean);
    // labels on every 49th order (2 %), fraud more often among the risky templates.
    await sql`
      insert into orders (merchant_id, order_id, request_hash, ordered_at, amount, payment_method, buyer_key, ship_to_key,
        identities, score, level, recommendation, ruleset_version, response, features, trace, outcome)
      select ${merchantId}, 'B' || lpad(g.i::text, 8, '0'), '\\x00'::bytea,
        timestamptz '2026-06-01T00:00:00Z' + g.i * interval '2 seconds', a.amount, 'card', 'bk' || (g.i % 50000), 'sk' || (g.i % 80000),
        '[]'::jsonb, t.score, t.level, t.recommendation, ${RULESET.version}, '{}'::jsonb,
        jsonb_set(jsonb_set(jsonb_set(t.features,
          '{order,amount}', to_jsonb(a.amount)),
          '{order,shipTo,address,prefecture}', to_jsonb((${prefectures}::text[])[1 + g.i % 8])),
          '{orderedAt}', to_jsonb(to_char((timestamptz '2026-06-01T00:00:00Z' + g.i * interval '2 seconds') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
        ${JSON.stringify(trace)}::jsonb,
        case when g.i % 49 <> 0 then null
          when t.k >= 3 and g.i % 3 <> 0 then 'chargeback'
          when (g.i / 49) % 4 = 0 then 'fraud_confirmed'
          else 'legitimate' end
      from generate_series(${lo}::int, ${hi}::int) as g(i)
      cross join lateral (select (1000 + (g.i::bigint * 2654435761) % 99000)::bigint as amount) a
      join templates t on t.k = (case when g.i % 8 < 4 then 0 else g.i % 8 - 3 end) % ${FEATURE_TEMPLATES.length}`.execute(db)
    process.stdout.write(`\rseeded ${hi.toLocaleString('en')} orders`)
  }
  process.stdout.write('\n')
  await sql`analyze orders`.execute(db)
}

async function main (): Promise<void> {
  cleanupOnSignals()
  const database = await createBenchDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  if (database.kind !== 'postgres') throw new Error('bench/backtest.ts runs on PostgreSQL')
  console.log(`database: ${describeDatabase(database)}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${ORDERS.toLocaleString('en')} orders, pages of ${PAGE}, ${THREADS} threads)`)
  const pool = new pg.Pool({ connectionString: database.url, max: 4 })
  // The drop at cleanup ends open connections: that is the end of the run, not news.
  pool.on('error', () => {})
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  try {
    await migrateToLatest(db)
    const { rows: [m] } = await sql<{ id: string }>`insert into merchants (name) values ('ベンチ商店') returning id`.execute(db)
    const merchantId = m!.id
    let t0 = Date.now()
    await seed(db, merchantId)
    const { rows: [size] } = await sql<{ s: string }>`select pg_size_pretty(pg_total_relation_size('orders')) as s`.execute(db)
    console.log(`seed: ${((Date.now() - t0) / 1000).toFixed(1)} s, orders table ${size!.s}`)
    for (const [version, n] of [[1, 10], [2, 50]] as const) {
      await sql`insert into rulesets (merchant_id, version, body, status) values (${merchantId}, ${version}, ${JSON.stringify({ rules: rules(n) })}::jsonb, 'published')`.execute(db)
    }
    const log = pino({ level: 'warn' }) as unknown as FastifyBaseLogger
    for (const [version, n] of [[1, 10], [2, 50]] as const) {
      const b = await insertBacktest(db, { merchantId, version, ruleset: null, from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z'), createdBy: null })
      const worker = startBacktestWorker(db, log, { loop: false, pageSize: PAGE, threads: THREADS })
      const baseRss = process.memoryUsage().rss
      let peak = baseRss
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 100)
      t0 = Date.now()
      await worker.runOnce()
      const s = (Date.now() - t0) / 1000
      clearInterval(sampler)
      await worker.stop()
      const done = await findBacktest(db, merchantId, b.id)
      if (done?.status !== 'done' || done.result === null) throw new Error(`backtest ${done?.status}: ${done?.error}`)
      const r = done.result
      const mb = (x: number) => `${(x / 1048576).toFixed(0)} MB`
      console.log(`${n} rules: ${done.done.toLocaleString('en')} orders in ${s.toFixed(1)} s = ${Math.round(done.done / s).toLocaleString('en')} rows/s; ` +
        `peak RSS ${mb(peak)} (at start ${mb(baseRss)}); target ${TARGET_S} s: ${s <= TARGET_S ? 'met' : 'MISSED'}; ` +
        `changes ${r.changes.count.toLocaleString('en')}, recall at hold ${r.decided.atHold.recall?.toFixed(3)} → ${r.candidate.atHold.recall?.toFixed(3)}; load ${loadavg()[0]!.toFixed(2)}`)
    }
  } finally {
    await db.destroy()
    await cleanup()
  }
}

main().catch(async (err: unknown) => {
  console.error(err)
  await cleanup()
  process.exit(1)
})
