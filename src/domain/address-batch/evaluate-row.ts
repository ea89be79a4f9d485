// One batch row (seed 001's eight columns) → its normalized address, or the row's error
// (field and reason): row errors are reported with the results and never fail the batch.
import { AddressError, normalizeAddress, type NormalizedAddress } from '../address/normalize.js'

export type BatchRowInput = {
  orderId: string | null
  email: string | null
  prefecture: string | null
  city: string | null
  town: string | null
  block: string | null
  room: string | null
  building: string | null
}

export type RowError = { field: string; reason: string }

// Seed 001: 注文番号 in half-width characters; メールアドレス in half-width letters and -_.@ (and +).
const ORDER_ID = /^[\x21-\x7e]{1,100}$/
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/

const REQUIRED = [
  ['orderId', '注文番号'], ['email', 'メールアドレス'], ['prefecture', '都道府県'],
  ['city', '市区町村'], ['town', '地名'], ['block', '丁目・番地・号'],
] as const

export function evaluateRow (row: BatchRowInput): NormalizedAddress | RowError {
  for (const [field, label] of REQUIRED) {
    if (row[field] === null || row[field]!.trim() === '') return { field, reason: `${label} (${field}) is required` }
  }
  if (!ORDER_ID.test(row.orderId!.trim())) return { field: 'orderId', reason: 'must be 1 to 100 half-width characters' }
  if (row.email!.length > 254 || !EMAIL.test(row.email!.trim())) return { field: 'email', reason: 'is not an e-mail address' }
  try {
    return normalizeAddress({
      prefecture: row.prefecture!, city: row.city!, town: row.town!, block: row.block!,
      room: row.room ?? undefined, building: row.building ?? undefined,
    })
  } catch (err) {
    if (err instanceof AddressError) return { field: err.field, reason: err.message }
    throw err
  }
}
