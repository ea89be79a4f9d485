// Repository for erasing one person's data (APPI 利用停止・消去): finds a merchant's rows carrying
// the person's normalized identifiers, deletes or redacts them, and records the erasure by hash.
import { sql, type Kysely } from 'kysely'
import type { BlocklistType, DB, ErasureKind, HistoryKind } from './types.js'

/** One identifier as orders store it in `identities`. */
export type IdentityProbe = { kind: HistoryKind; value: string }

/**
 * Order ids of the merchant whose identities hold every group: each group is satisfied by any
 * of its probes (name+address: the name, and one of the address's keys).
 */
export async function findOrderIds (db: Kysely<DB>, merchantId: string, groups: readonly IdentityProbe[][]): Promise<string[]> {
  const contains = (p: IdentityProbe) => sql`identities @> ${JSON.stringify([{ kind: p.kind, value: p.value }])}::jsonb`
  const where = sql.join(groups.map((g) => sql`(${sql.join(g.map(contains), sql` or `)})`), sql` and `)
  const { rows } = await sql<{ order_id: string }>`select order_id from orders where merchant_id = ${merchantId} and ${where}`.execute(db)
  return rows.map((r) => r.order_id)
}

const count = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint }[]) => r.reduce((n, x) => n + Number(x.numDeletedRows ?? x.numUpdatedRows ?? 0n), 0)

/** Deletes the orders and everything filed under them; counts per table. */
export async function deleteOrders (db: Kysely<DB>, merchantId: string, orderIds: readonly string[]): Promise<Record<string, number>> {
  if (orderIds.length === 0) {
    return { orders: 0, orderFeedback: 0, fraudHistory: 0, shipmentChecks: 0, addressMatches: 0, webhookEvents: 0, webhookDeliveries: 0, webhookDigestItems: 0 }
  }
  const ids = [...orderIds]
  // Events about these orders (order.scored and shipment.checked carry data.orderId).
  const events = (await db.selectFrom('webhook_events').select('id').where('merchant_id', '=', merchantId)
    .where('type', 'in', ['order.scored', 'shipment.checked'])
    .where(sql<string>`data->>'orderId'`, 'in', ids).execute()).map((e) => e.id)
  let [webhookDigestItems, webhookDeliveries, webhookEvents] = [0, 0, 0]
  if (events.length > 0) {
    webhookDigestItems = count(await db.deleteFrom('webhook_digest_items').where('merchant_id', '=', merchantId).where('event_id', 'in', events).execute())
    webhookDeliveries = count(await db.deleteFrom('webhook_deliveries').where('merchant_id', '=', merchantId).where('event_id', 'in', events).execute())
    webhookEvents = count(await db.deleteFrom('webhook_events').where('merchant_id', '=', merchantId).where('id', 'in', events).execute())
  }
  const del = async (table: 'fraud_history' | 'order_feedback' | 'shipment_checks' | 'address_matches' | 'orders') =>
    count(await db.deleteFrom(table).where('merchant_id', '=', merchantId).where('order_id', 'in', ids).execute())
  const fraudHistory = await del('fraud_history')
  const orderFeedback = await del('order_feedback')
  const shipmentChecks = await del('shipment_checks')
  const addressMatches = await del('address_matches')
  const orders = await del('orders')
  return { orders, orderFeedback, fraudHistory, shipmentChecks, addressMatches, webhookEvents, webhookDeliveries, webhookDigestItems }
}

export type BatchRowAddress = { batch_id: string; line: number; email: string | null; prefecture: string | null; city: string | null; town: string | null; block: string | null; room: string | null; building: string | null }

/** A page of the merchant's batch rows that still carry an e-mail or an address. */
export async function batchRowsPage (db: Kysely<DB>, merchantId: string, after: { batchId: string; line: number } | undefined, limit: number): Promise<BatchRowAddress[]> {
  let q = db.selectFrom('address_match_batch_rows')
    .select(['batch_id', 'line', 'email', 'prefecture', 'city', 'town', 'block', 'room', 'building'])
    .where('merchant_id', '=', merchantId)
    .where((eb) => eb.or([eb('email', 'is not', null), eb('block', 'is not', null), eb('town', 'is not', null)]))
    .orderBy('batch_id').orderBy('line').limit(limit)
  if (after !== undefined) q = q.where(sql<boolean>`(batch_id, line) > (${after.batchId}::uuid, ${after.line}::int)`)
  return q.execute()
}

/** Blanks the e-mail, or the address parts, of the given batch rows (the match results stay). */
export async function redactBatchRows (db: Kysely<DB>, merchantId: string, rows: readonly { batch_id: string; line: number }[], what: 'email' | 'address'): Promise<number> {
  let n = 0
  const set = what === 'email'
    ? { email: null }
    : { prefecture: null, city: null, town: null, block: null, room: null, building: null }
  for (const r of rows) {
    n += Number((await db.updateTable('address_match_batch_rows').set(set)
      .where('merchant_id', '=', merchantId).where('batch_id', '=', r.batch_id).where('line', '=', r.line)
      .executeTakeFirst()).numUpdatedRows)
  }
  return n
}

/** The merchant's blocklist entries listing one of these (type, normalized) values. */
export async function findBlocklistMatches (db: Kysely<DB>, merchantId: string, values: readonly { type: BlocklistType; normalized: string }[]): Promise<{ id: string; type: BlocklistType }[]> {
  if (values.length === 0) return []
  return db.selectFrom('blocklist_entries').select(['id', 'type']).where('merchant_id', '=', merchantId)
    .where((eb) => eb.or(values.map((v) => eb.and([eb('type', '=', v.type), eb('normalized', '=', v.normalized)]))))
    .orderBy('created_at').orderBy('id').execute()
}

export async function insertErasure (db: Kysely<DB>, row: { merchant_id: string; kind: ErasureKind; salt: Buffer; subject_hash: Buffer; touched: Record<string, number> }) {
  return db.insertInto('personal_data_erasures').values({ ...row, touched: JSON.stringify(row.touched) })
    .returning(['id', 'kind', 'touched', 'created_at']).executeTakeFirstOrThrow()
}
