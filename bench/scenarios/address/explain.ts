// PostgreSQL only: EXPLAIN ANALYZE of the statements one POST /v1/address-matches runs, on the
// bench database with its full store, so a slow match can be told apart from slow SQL. The
// statements mirror src/db/fraud-addresses.ts (findMatchCandidates) and address-matches.ts.
import pg from 'pg'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'
import type { Address } from './queries.js'

const COLUMNS = 'id, issuer, reported_on, prefecture, city, town, block, room, building, match_key, room_key, town_key, city_key, import_id, created_at, norm_prefecture'

type Plan = { 'Execution Time': number; 'Planning Time': number; Plan: { 'Node Type': string; 'Index Name'?: string; Plans?: Plan['Plan'][] } }

function nodes (plan: Plan['Plan']): string {
  const here = plan['Index Name'] === undefined ? plan['Node Type'] : `${plan['Node Type']} on ${plan['Index Name']}`
  return [here, ...(plan.Plans ?? []).map(nodes)].join(' > ')
}

// As Kysely writes `where('match_key', 'in', keys)`: one parameter per key.
const byKeys = (keys: readonly string[]) =>
  `select ${COLUMNS} from fraud_addresses where match_key in (${keys.map((_, i) => `$${i + 1}`).join(', ')}) order by id`

async function explain (client: pg.Client, title: string, text: string, values: unknown[]): Promise<void> {
  const res = await client.query(`explain (analyze, buffers, format json) ${text}`, values)
  const plan = (res.rows[0] as { 'QUERY PLAN': Plan[] })['QUERY PLAN'][0]!
  console.log(`    ${title}: ${plan['Execution Time'].toFixed(3)} ms execution + ${plan['Planning Time'].toFixed(3)} ms planning (${nodes(plan.Plan)})`)
}

/** Prints the timings of a hit's and a miss's statements; the audit insert is rolled back. */
export async function explainMatch (url: string, merchantId: string, hit: Address, miss: Address, emptyPrefecture: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    console.log('\nEXPLAIN ANALYZE of one match\'s statements (bench database, full store):')
    const h = normalizeAddress(hit)
    await explain(client, `hit  ${h.lookupKeys.length} keys, match_key in (…)`, byKeys(h.lookupKeys), h.lookupKeys)
    const m = normalizeAddress(miss)
    await explain(client, `miss ${m.lookupKeys.length} keys, match_key in (…)`, byKeys(m.lookupKeys), m.lookupKeys)
    await explain(client, 'miss probe town_key = … limit 1', `select ${COLUMNS} from fraud_addresses where town_key = $1 limit 1`, [m.townKey])
    await explain(client, 'miss probe city_key = … limit 1', `select ${COLUMNS} from fraud_addresses where city_key = $1 limit 1`, [m.cityKey])
    // The last probe, reached when neither town nor city is stored, on a prefecture with no rows.
    await explain(client, `miss probe norm_prefecture = ${emptyPrefecture} limit 1`, `select ${COLUMNS} from fraud_addresses where norm_prefecture = $1 limit 1`, [emptyPrefecture])
    await client.query('begin')
    await explain(client, 'audit insert into address_matches', 'insert into address_matches (merchant_id, order_id, result, count) values ($1, $2, $3, $4) returning id, created_at', [merchantId, 'EXPLAIN-1', 'none', 0])
    await client.query('rollback')
  } finally {
    await client.end()
  }
}
