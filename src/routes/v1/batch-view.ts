// Batch and batch-row records as the API shows them (JSON), and as seed 001's result CSV.
import type { Static } from '@sinclair/typebox'
import { csvLines } from '../../csv/write.js'
import type { resultRows } from '../../db/address-match-batches.js'
import type { BatchResultRow } from '../../schemas/address-match-batch.js'
export { toBatch } from '../../schemas/address-match-batch.js'

type ResultRecord = Awaited<ReturnType<typeof resultRows>>[number]

export function toResultRow (r: ResultRecord): Static<typeof BatchResultRow> {
  return {
    line: r.line, orderId: r.order_id, email: r.email, prefecture: r.prefecture, city: r.city, town: r.town,
    block: r.block, room: r.room, building: r.building, result: r.result, count: r.count,
    fields: r.judgments as Static<typeof BatchResultRow>['fields'],
    error: r.error_field === null ? null : { field: r.error_field, reason: r.error_reason ?? '' },
  }
}

// Seed 001's download: its eight columns, then 照合結果, 件数 and the 判定結果 of each field.
export const RESULT_CSV_HEADER = [
  '注文番号', 'メールアドレス', '住所(都道府県)', '住所(市区町村)', '住所(地名)', '住所(丁目・番地・号)', '住所(階・部屋番号)', '住所(建物名)',
  '照合結果', '件数', '判定(都道府県)', '判定(市区町村)', '判定(地名)', '判定(丁目・番地・号)', '判定(階・部屋番号)', '判定(建物名)', 'エラー',
]
const RESULT_JA: Record<string, string> = { full: '完全一致', partial: '部分一致', none: '該当なし' }
const JUDGMENT_JA: Record<string, string> = { hit: '該当あり', miss: '該当なし', unspecified: '指定なし' }

/** Result rows as CSV lines: what the merchant uploaded comes back formula-safe (csv/write.ts). */
export function resultCsvLines (rows: ResultRecord[]): string {
  return csvLines(rows.map((r) => {
    const j = r.judgments
    const judged = j === null ? ['', '', '', '', '', ''] : [j.prefecture, j.city, j.town, j.block, j.room, j.building].map((v) => JUDGMENT_JA[v] ?? v)
    return [
      r.order_id, r.email, r.prefecture, r.city, r.town, r.block, r.room, r.building,
      r.result === null ? '' : RESULT_JA[r.result], r.count ?? '', ...judged,
      r.error_field === null ? '' : `${r.error_field}: ${r.error_reason ?? ''}`,
    ]
  }))
}
