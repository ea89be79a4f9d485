// What a test app must never keep, checked by test/helper.ts before each test database is
// dropped: full card numbers, API keys and the admin token in any table or log line; webhook
// secrets and the personal data tests send (e-mails, phones, names) in the log lines.
import { sql, type Kysely } from 'kysely'
import { findCardNumber, findCardNumberIn } from '../../src/domain/scoring/pan.js'

/** Credentials handed out during this test process (captured from the answers that show them once). */
export const issued = { apiKeys: new Set<string>(), webhookSecrets: new Set<string>() }

// The shapes of src/domain/api-key.ts's keys and signature.ts's secrets (32 random bytes, 43
// base64url characters): also catches a key that was never captured, or one a test made up and
// sent. Exactly 43: the test databases are named shinsa_test_<time>_<pid>_c_<hex> (35–41).
const API_KEY = /(?<![A-Za-z0-9_-])shinsa_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/
const WEBHOOK_SECRET = /(?<![A-Za-z0-9_-])whsec_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/
const EMAIL = /[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/
// Japanese numbers as tests write them (03-3210-1234, 090-1234-5678, +81 90-5555-6666) and as
// normalized (09012345678, +819012345678); not inside a longer token such as a uuid or a date.
const PHONE = /(?<![\w.:/-])(?:(?:\+81[ -]?\d{1,4}|0\d{1,4})-\d{1,4}-\d{4}|0[5789]0\d{8}|\+81\d{9,10})(?![\w-])/
// The people the test fixtures are made of, in kanji, kana and romaji.
const NAMES = ['山田', '太郎', '高橋', '健一', '鈴木', '田中', '佐藤', '花子', 'ヤマダ', 'タロウ', 'タカハシ', 'ケンイチ', 'サトウ', 'ハナコ', 'Yamada', 'YAMADA']

type Check = { what: string; found: (s: string) => boolean }

function credentialChecks (adminToken: string): Check[] {
  return [
    { what: 'an API key', found: (s) => API_KEY.test(s) || [...issued.apiKeys].some((k) => s.includes(k)) },
    { what: 'the admin token', found: (s) => s.includes(adminToken) },
  ]
}

function logChecks (adminToken: string): Check[] {
  return [
    { what: 'a card number', found: findCardNumber },
    ...credentialChecks(adminToken),
    { what: 'a webhook secret', found: (s) => WEBHOOK_SECRET.test(s) || [...issued.webhookSecrets].some((k) => s.includes(k)) },
    { what: 'an e-mail address', found: (s) => EMAIL.test(s) },
    { what: 'a phone number', found: (s) => PHONE.test(s) },
    { what: 'a name', found: (s) => NAMES.some((n) => s.includes(n)) },
  ]
}

/** Every string (and integer, as digits) in a value, with its path: `.url`, `.err.message`. */
function * leaves (value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value]
  else if (typeof value === 'number' && Number.isInteger(value)) yield [path, String(value)]
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield * leaves(value[i], `${path}[${i}]`)
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [`${path}.${k}#key`, k]
      yield * leaves(v, `${path}.${k}`)
    }
  }
}

/** Findings in the captured log lines, each as `log line N ("msg") .path: what` — never the value. */
export function scanLogs (lines: readonly string[], adminToken: string): string[] {
  const checks = logChecks(adminToken)
  const out: string[] = []
  lines.forEach((line, i) => {
    let parsed: unknown = line
    try { parsed = JSON.parse(line) } catch {}
    const msg = typeof parsed === 'object' && parsed !== null ? String((parsed as { msg?: unknown }).msg) : '(not JSON)'
    for (const [path, text] of leaves(parsed)) {
      for (const c of checks) if (c.found(text)) out.push(`log line ${i + 1} (${JSON.stringify(msg)}) ${path || '(line)'}: ${c.what}`)
    }
  })
  return out
}

// The merchant's own identifiers (pan.ts's PAN_EXEMPT_PATHS: orderId, items[*].sku,
// trackingNumber): a numeric order or tracking number is the merchant's, not a card number, so
// exactly the columns and stored-answer fields that hold one are not searched for cards.
// Credentials are searched everywhere. A decision's features keep the order as sent: its orderId
// and skus.
const CARD_EXEMPT_COLUMNS = new Set([
  'orders.order_id', 'order_feedback.order_id', 'fraud_history.order_id', 'address_matches.order_id',
  'address_match_batch_rows.order_id', 'shipment_checks.order_id', 'shipment_checks.tracking_number',
])
// Stored answers (Score, Shipment) and the webhook events made of them carry `orderId` at the top.
const CARD_EXEMPT_JSON: Record<string, string[]> = {
  'orders.response': ['orderId'], 'shipment_checks.response': ['orderId'], 'webhook_events.data': ['orderId'],
  'orders.features': ['order.orderId', 'order.items[*].sku'],
}
// Types whose text is machine-made (hex of a hash, uuids, times): digits there are not typed by anyone.
const UNSCANNED_TYPES = new Set(['uuid', 'bytea', 'boolean', 'date', 'interval', 'timestamp with time zone',
  'timestamp without time zone', 'time with time zone', 'time without time zone'])

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`

/** Findings in every table of the public schema, each as `table.column: what (N rows)`. */
export async function scanTables (db: Kysely<any>, adminToken: string): Promise<string[]> {
  // pg_catalog rather than information_schema: the same tables and types, a tenth of the time
  // on a database that has never been asked before (each test's is new).
  const { rows: columns } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as data_type
    from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
    where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped`.execute(db)
  const scanned = new Map<string, string[]>()
  for (const c of columns) {
    if (UNSCANNED_TYPES.has(c.data_type)) continue
    scanned.set(c.table_name, [...(scanned.get(c.table_name) ?? []), c.column_name])
  }
  if (scanned.size === 0) return []
  const union = [...scanned.keys()].map((table) => `select '${table.replaceAll("'", "''")}' as t, to_jsonb(x) as r from ${ident(table)} x`).join(' union all ')
  const { rows } = await sql<{ t: string; r: Record<string, unknown> }>`${sql.raw(union)}`.execute(db)
  const credentials = credentialChecks(adminToken)
  const hits = new Map<string, number>()
  const hit = (where: string) => hits.set(where, (hits.get(where) ?? 0) + 1)
  for (const { t: table, r: row } of rows) {
    for (const column of scanned.get(table)!) {
      const value = row[column]
      if (value === null || value === undefined) continue
      const where = `${table}.${column}`
      if (!CARD_EXEMPT_COLUMNS.has(where) && findCardNumberIn(value, CARD_EXEMPT_JSON[where] ?? []) !== null) hit(`${where}: a card number`)
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      for (const c of credentials) if (c.found(text)) hit(`${where}: ${c.what}`)
    }
  }
  return [...hits].map(([where, n]) => `table ${where} (${n} row${n === 1 ? '' : 's'})`)
}
