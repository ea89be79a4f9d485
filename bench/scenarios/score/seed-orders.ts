// The past orders the score route reads (velocity windows, fraud history, amount statistics).
// PostgreSQL: straight into the bench database — the buyers' keys, computed by shinsa's own
// functions (people.ts), go into a temp table, and one generate_series insert per 100,000 orders
// spreads them over the bench merchant (60 %) and four others, over the last 90 days (2 % in the
// last 24 h, plus a few drop points many buyers ship to today); the orders of fraudsters (1 %) are
// fraud_confirmed and their identifiers filed in fraud_history, as feedback would file them.
// PGlite: the server holds the database, so the orders go through the API instead (fewer).
import pg from 'pg'
import type { Api } from '../../lib/api.js'
import type { Places } from '../address/places.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { DROP_POINTS, orderBy } from './bodies.js'
import { inParallel } from './parallel.js'
import { dropPoint, isFraudster, keysOf, person, personKeys } from './people.js'

export type Seeded = { orders: number; fraudOrders: number; historyRows: number; seconds: number }

const CHUNK = 100_000

async function loadPeople (client: pg.Client, places: Places, people: number): Promise<void> {
  await client.query(`create temp table people (n int primary key, buyer_key text not null, buyer_email text, buyer_name text,
    ship_to_key text not null, ship_to_match_key text, identities jsonb not null, fraudster bool not null)`)
  for (let from = 0; from < people; from += 10_000) {
    const cols: unknown[][] = [[], [], [], [], [], [], [], []]
    for (let n = from; n < Math.min(people, from + 10_000); n++) {
      const k = personKeys(person(places, n))
      const row = [n, k.buyerKey, k.buyerEmail, k.buyerName, k.shipToKey, k.shipToMatchKey, JSON.stringify(k.identities), isFraudster(n)]
      row.forEach((v, i) => cols[i]!.push(v))
    }
    await client.query(`insert into people select n, bk, be, bn, sk, smk, ids::jsonb, f
      from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[]) as u(n, bk, be, bn, sk, smk, ids, f)`, cols)
  }
  const drops = Array.from({ length: DROP_POINTS }, (_, d) => keysOf({ ...orderBy(person(places, d), d), orderId: 'DROP', shipTo: { address: dropPoint(places, d) } }))
  await client.query('create temp table drops (d int primary key, ship_to_key text not null, ship_to_match_key text)')
  await client.query('insert into drops select * from unnest($1::int[], $2::text[], $3::text[])',
    [drops.map((_, d) => d), drops.map((k) => k.shipToKey), drops.map((k) => k.shipToMatchKey)])
}

// Order j: buyer (j·7919) mod people; merchant by ⌊j / people⌋ so each buyer orders from several;
// j ≡ 3 (mod 50) in the last 24 h, j ≡ 17 (mod 1000) to a drop point today, the rest over 90 days.
const INSERT = `
  insert into orders (merchant_id, order_id, request_hash, ordered_at, amount, payment_method, buyer_key, buyer_email,
    buyer_name, ship_to_key, ship_to_match_key, identities, score, level, recommendation, ruleset_version, response,
    outcome, outcome_at, created_at)
  select merchant_id, order_id, sha256(convert_to(order_id, 'UTF8')), ordered_at, amount, method, buyer_key, buyer_email,
    buyer_name, ship_to_key, ship_to_match_key, identities, score, level, recommendation, $4,
    jsonb_build_object('orderId', order_id, 'score', score, 'level', level, 'recommendation', recommendation,
      'reasons', '[]'::jsonb, 'history', 'none', 'addressMatch', '{"result":"none","count":0}'::jsonb,
      'rulesetVersion', $4::text, 'evaluatedAt', ordered_at),
    case when fraudster then 'fraud_confirmed' end,
    case when fraudster then least(now(), ordered_at + interval '10 days') end,
    ordered_at
  from (
    select o.*, p.buyer_key, p.buyer_email, p.buyer_name, p.identities, p.fraudster,
      coalesce(d.ship_to_key, p.ship_to_key) as ship_to_key, coalesce(d.ship_to_match_key, p.ship_to_match_key) as ship_to_match_key,
      case when p.fraudster then 60 else 0 end as score,
      case when p.fraudster then 'high' else 'low' end as level,
      case when p.fraudster then 'hold' else 'proceed' end as recommendation
    from (
      select j, 'SEED-' || j as order_id,
        ($3::uuid[])[case when (j / $5) % 10 < 6 then 1 else (j / $5) % 10 - 4 end] as merchant_id,
        now() - case when j % 50 = 3 or j % 1000 = 17 then make_interval(mins => ((j * 13) % 1440)::int)
                     else make_interval(mins => ((j * 31) % 129600)::int) end as ordered_at,
        round(exp(7.3 + ((j * 7907) % 1000) / 1000.0 * 2.6))::bigint as amount,
        (array['card','card','card','card','card','bank_transfer','convenience_store','carrier','deferred','cod'])[1 + (j / 7) % 10] as method,
        case when j % 1000 = 17 then (j / 1000) % ${DROP_POINTS} end as drop,
        (j * 7919) % $5 as n
      from generate_series($1::bigint, $2::bigint) j
    ) o
    join people p on p.n = o.n
    left join drops d on d.d = o.drop
  ) x`

/** Seeds `orders` past orders on PostgreSQL; `merchants[0]` is the bench merchant. */
export async function seedOrdersSql (url: string, places: Places, merchants: string[], orders: number, people: number): Promise<Seeded> {
  const start = performance.now()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await loadPeople(client, places, people)
    console.log(`   ${people.toLocaleString('en-US')} buyers' keys in a temp table: ${((performance.now() - start) / 1000).toFixed(1)} s`)
    for (let from = 0; from < orders; from += CHUNK) {
      await client.query(INSERT, [from, Math.min(orders, from + CHUNK) - 1, merchants, RULESET.version, people])
      process.stdout.write(`\r   orders: ${Math.min(orders, from + CHUNK).toLocaleString('en-US')} in ${((performance.now() - start) / 1000).toFixed(1)} s`)
    }
    process.stdout.write('\n')
    const fraud = await client.query<{ n: number }>("select count(*)::int as n from orders where outcome = 'fraud_confirmed'")
    const history = await client.query(`
      insert into fraud_history (merchant_id, kind, value, order_id)
      select o.merchant_id, e->>'kind', e->>'value', o.order_id
      from orders o, jsonb_array_elements(o.identities) e
      where o.outcome = 'fraud_confirmed'
      on conflict do nothing`)
    // What insertScoredOrder keeps per order, summed into its 8 shards.
    await client.query(`
      insert into merchant_amount_stats (merchant_id, shard, n, sum_log, sum_log_sq)
      select merchant_id, abs(hashtext(order_id)) % 8, count(*), sum(ln(amount)), sum(ln(amount) ^ 2)
      from orders where amount > 0 group by 1, 2
      on conflict (merchant_id, shard) do update set n = merchant_amount_stats.n + excluded.n,
        sum_log = merchant_amount_stats.sum_log + excluded.sum_log, sum_log_sq = merchant_amount_stats.sum_log_sq + excluded.sum_log_sq`)
    return { orders, fraudOrders: fraud.rows[0]!.n, historyRows: history.rowCount ?? 0, seconds: (performance.now() - start) / 1000 }
  } finally {
    await client.end()
  }
}

/**
 * PGlite: `orders` orders of the bench merchant through POST /v1/orders/score (orderedAt over the
 * last 90 days, 2 % today, 4 % to a drop point today), then fraud_confirmed feedback on the
 * fraudsters' orders.
 */
export async function seedOrdersApi (api: Api, apiKey: string, places: Places, orders: number, people: number): Promise<Seeded> {
  const start = performance.now()
  const now = Date.now()
  const fraudIds: string[] = []
  await inParallel(orders, 8, async (j) => {
    const n = (j * 7919) % people
    // Drop-point orders 40 times as often as in the SQL seed: a few thousand orders must still give each drop point a crowd.
    const drop = j % 25 === 17
    const minutes = j % 50 === 3 || drop ? (j * 13) % 1440 : (j * 31) % 129_600
    const order = orderBy(person(places, n), j)
    const shipTo = drop ? { shipTo: { address: dropPoint(places, Math.floor(j / 25) % DROP_POINTS) } } : {}
    const orderId = `SEED-${j}`
    await api('POST', '/v1/orders/score', { token: apiKey, expect: 200, body: { ...order, ...shipTo, orderId, orderedAt: new Date(now - minutes * 60_000).toISOString() } })
    if (isFraudster(n)) fraudIds.push(orderId)
  })
  await inParallel(fraudIds.length, 8, (i) =>
    api('POST', `/v1/orders/${fraudIds[i]}/feedback`, { token: apiKey, expect: 201, body: { type: 'fraud_confirmed' } }))
  return { orders, fraudOrders: fraudIds.length, historyRows: NaN, seconds: (performance.now() - start) / 1000 }
}
