// PostgreSQL only: the statements one POST /v1/orders/score sends, EXPLAIN ANALYZEd on the seeded
// bench database, so slow SQL can be told from a slow route. The route itself runs, in this
// process (buildApp + inject, on the bench database), with node-postgres' Client#query wrapped to
// record what it sends — whatever shape src/db gives the route's SQL, the bench sees the real one.
// Each statement is explained in a transaction that is rolled back, its orderId changed so the
// insert is not a no-op on the order the inject just stored.
import pg from 'pg'
import { buildApp } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import type { OrderInput } from '../../../src/domain/scoring/order.js'

type Node = {
  'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; 'Subplan Name'?: string
  'Actual Rows': number; 'Actual Loops': number; 'Actual Total Time': number; 'Join Filter'?: string; Filter?: string; Plans?: Node[]
}
type Plan = { 'Execution Time': number; 'Planning Time': number; Plan: Node }
type Statement = { sql: string; parameters: unknown[] }

const TABLES = ['merchants', 'api_keys', 'orders', 'fraud_addresses', 'blocklist_entries', 'fraud_history', 'merchant_amount_stats']
const ms = (v: number) => v.toFixed(3)

/** "select: orders, fraud_history" — what a statement does and to which tables. */
function describe (text: string): string {
  const verb = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(text)?.[1]?.toLowerCase() ?? '?'
  const tables = TABLES.filter((t) => new RegExp(`\\b(from|into|join|update)\\s+"?${t}"?\\b`, 'i').test(text))
  return `${/^\s*with\b/i.test(text) && /\binsert\b/i.test(text) ? 'insert' : verb}: ${tables.join(', ') || '-'}`
}

/** The nodes that took the most time themselves (their time less their children's). */
function costliest (root: Node, count: number): string {
  const found: Array<{ label: string; self: number }> = []
  const walk = (n: Node) => {
    const total = n['Actual Total Time'] * n['Actual Loops']
    const children = (n.Plans ?? []).reduce((s, c) => s + c['Actual Total Time'] * c['Actual Loops'], 0)
    const on = n['Index Name'] ?? n['Relation Name']
    const filter = n['Join Filter'] ?? n.Filter
    found.push({
      label: `${n['Subplan Name'] === undefined ? '' : `${n['Subplan Name']}: `}${n['Node Type']}${on === undefined ? '' : ` on ${on}`}` +
        ` (${n['Actual Rows']} rows × ${n['Actual Loops']}${filter === undefined ? '' : `, filter ${filter.slice(0, 90)}`})`,
      self: total - children,
    })
    for (const c of n.Plans ?? []) walk(c)
  }
  walk(root)
  return found.sort((a, b) => b.self - a.self).slice(0, count).map((f) => `${f.label} ${ms(f.self)} ms`).join('; ')
}

/** Runs the route once per order in this process and answers the statements each sent. */
async function capture (url: string, apiKey: string, orders: readonly OrderInput[]): Promise<Statement[][]> {
  const app = await buildApp(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', SHINSA_RUN_JOBS: 'false', SHINSA_MIGRATE_ON_START: 'false', SHINSA_MAX_EVENT_LOOP_DELAY_MS: '0', SHINSA_RATE_LIMIT_PER_MINUTE: '0' }))
  const query = pg.Client.prototype.query
  let recording: Statement[] | undefined
  // node-postgres is CommonJS: the app's Pool makes Clients of this same class.
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown[] | undefined]
    const text = typeof config === 'string' ? config : config?.text
    if (recording !== undefined && text !== undefined && !/^\s*(begin|commit|rollback)\b/i.test(text)) {
      recording.push({ sql: text, parameters: [...(Array.isArray(values) ? values : (typeof config === 'object' ? config.values ?? [] : []))] })
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof query
  try {
    await app.ready()
    const out: Statement[][] = []
    for (const order of orders) {
      recording = []
      const res = await app.inject({ method: 'POST', url: '/v1/orders/score', headers: { authorization: `Bearer ${apiKey}` }, payload: order })
      if (res.statusCode !== 200) throw new Error(`the explained order answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
      out.push(recording)
      recording = undefined
    }
    return out
  } finally {
    pg.Client.prototype.query = query
    await app.close()
  }
}

/** EXPLAIN ANALYZE of each statement, the best of 3 (warm cache); one line each, its costliest nodes. */
export async function explainScore (url: string, apiKey: string, samples: ReadonlyArray<{ title: string; order: OrderInput }>): Promise<void> {
  console.log('\nEXPLAIN ANALYZE of the statements one score sends (the route run in this process on the seeded database), best of 3:')
  const captured = await capture(url, apiKey, samples.map((s) => s.order))
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const [i, { title, order }] of samples.entries()) {
      console.log(`  ${title}: ${captured[i]!.length} statements`)
      for (const s of captured[i]!) {
        // A new connection's session set-up (`set pg_trgm.similarity_threshold`) is run as it
        // was, so the plans below see the same settings; it has no plan of its own.
        if (!/^\s*(select|insert|update|delete|with)\b/i.test(s.sql)) {
          await client.query(s.sql, s.parameters)
          console.log(`    ${s.sql.slice(0, 60)}: run, not explained (session set-up)`)
          continue
        }
        const parameters = s.parameters.map((p) => p === order.orderId ? `${order.orderId}-explain` : p)
        let best: Plan | undefined
        for (let round = 0; round < 3; round++) {
          await client.query('begin')
          try {
            const res = await client.query(`explain (analyze, format json) ${s.sql}`, parameters)
            const plan = (res.rows[0] as { 'QUERY PLAN': Plan[] })['QUERY PLAN'][0]!
            if (best === undefined || plan['Execution Time'] < best['Execution Time']) best = plan
          } finally {
            await client.query('rollback')
          }
        }
        console.log(`    ${describe(s.sql)}: ${ms(best!['Execution Time'])} ms + ${ms(best!['Planning Time'])} ms planning`)
        console.log(`      costliest: ${costliest(best!.Plan, 3)}`)
      }
    }
  } finally {
    await client.end()
  }
}
