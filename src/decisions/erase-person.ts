// Erasing one person for one merchant (APPI 消去請求): in one transaction, the orders carrying the
// person's identifiers go with everything filed under them (feedback, fraud history, shipment
// checks, address-match audit, webhook events and deliveries), batch rows lose the person's
// e-mail or address, and the erasure is recorded by a salted hash. Blocklist entries naming the
// person are reported, not deleted: they are the merchant's own protection, its call to drop.
import { createHmac, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'
import { batchRowsPage, deleteOrders, findBlocklistMatches, findOrderIds, insertErasure, redactBatchRows } from '../db/personal-data.js'
import { batchRowMatch, blocklistValues, orderProbeGroups, subjectText, type ErasureSubject } from '../domain/identity/erasure-subject.js'

const PAGE = 1000

export type ErasureResult = Awaited<ReturnType<typeof insertErasure>> & { blocklistEntries: { id: string; type: string }[] }

export async function erasePerson (db: Kysely<DB>, merchantId: string, subject: ErasureSubject): Promise<ErasureResult> {
  return db.transaction().execute(async (trx) => {
    const orderIds = await findOrderIds(trx, merchantId, orderProbeGroups(subject))
    const touched = await deleteOrders(trx, merchantId, orderIds)

    let batchRows = 0
    let after: { batchId: string; line: number } | undefined
    for (;;) {
      const page = await batchRowsPage(trx, merchantId, after, PAGE)
      for (const what of ['email', 'address'] as const) {
        batchRows += await redactBatchRows(trx, merchantId, page.filter((r) => batchRowMatch(subject, r) === what), what)
      }
      if (page.length < PAGE) break
      const last = page.at(-1)!
      after = { batchId: last.batch_id, line: last.line }
    }

    const blocklistEntries = await findBlocklistMatches(trx, merchantId, blocklistValues(subject))
    const salt = randomBytes(16)
    const record = await insertErasure(trx, {
      merchant_id: merchantId,
      kind: subject.kind,
      salt,
      subject_hash: createHmac('sha256', salt).update(subjectText(subject)).digest(),
      touched: { ...touched, addressMatchBatchRows: batchRows },
    })
    return { ...record, blocklistEntries }
  })
}
