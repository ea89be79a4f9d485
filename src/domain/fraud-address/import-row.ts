// One line of an issuer's fraud-address CSV (issuer,reported_on,prefecture,city,town,block,room,
// building) → a store row with its normalized parts and keys, or the reason it is refused.
import { createHash } from 'node:crypto'
import { AddressError, normalizeAddress } from '../address/normalize.js'

export const IMPORT_COLUMNS = ['issuer', 'reported_on', 'prefecture', 'city', 'town', 'block', 'room', 'building'] as const

export type FraudAddressRow = {
  issuer: string
  reported_on: string
  prefecture: string
  city: string
  town: string
  block: string
  room: string | null
  building: string | null
  norm_prefecture: string
  norm_city: string
  norm_town: string
  norm_block: string
  norm_room: string | null
  match_key: string
  room_key: string | null
  town_key: string
  city_key: string
  dedupe_hash: Buffer
}

export type RowError = { line: number; field: string; reason: string }

const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/

/** 'YYYY-MM-DD' (or with slashes) that is a real calendar day, not after `today`. */
export function parseReportedOn (value: string, today: string): string | string[] {
  const m = DATE.exec(value)
  if (m === null) return ['must be a date written YYYY-MM-DD']
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
  const d = new Date(`${iso}T00:00:00Z`)
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return ['is not a calendar date']
  if (iso > today) return ['is in the future']
  return iso
}

const blank = (s: string | undefined) => s === undefined || s.trim() === ''

/** Validates and normalizes one record; `line` is its line number in the upload. */
export function importRow (fields: string[], line: number, today: string): FraudAddressRow | RowError {
  if (fields.length !== IMPORT_COLUMNS.length) {
    return { line, field: 'line', reason: `has ${fields.length} columns, expected ${IMPORT_COLUMNS.length} (${IMPORT_COLUMNS.join(',')})` }
  }
  const [issuer, reportedOn, prefecture, city, town, block, room, building] = fields.map((f) => f.trim()) as string[]
  if (blank(issuer)) return { line, field: 'issuer', reason: 'is required' }
  if (issuer!.length > 200) return { line, field: 'issuer', reason: 'is longer than 200 characters' }
  const reported = parseReportedOn(reportedOn!, today)
  if (Array.isArray(reported)) return { line, field: 'reported_on', reason: reported[0]! }
  for (const [field, value] of [['prefecture', prefecture], ['city', city], ['town', town], ['block', block]] as const) {
    if (blank(value)) return { line, field, reason: 'is required' }
  }
  let n
  try {
    n = normalizeAddress({ prefecture, city, town, block, room: blank(room) ? undefined : room, building: blank(building) ? undefined : building })
  } catch (err) {
    if (err instanceof AddressError) return { line, field: err.field, reason: err.message }
    throw err
  }
  // An issuer that wrote the room into the block (1-2-3-101, no room) is stored as block 1-2-3,
  // room 101: queries for 1-2-3 then find it, as partial without a room and full with 101.
  const trailing = n.roomKey === null ? n.readings.find((r) => r.kind === 'trailing-room') : undefined
  const matchKey = trailing?.matchKey ?? n.matchKey
  const roomKey = trailing?.roomKey ?? n.roomKey
  const normBlock = trailing === undefined ? n.block : matchKey.slice(matchKey.lastIndexOf('#') + 1)
  const dedupe = createHash('sha256')
    .update([issuer, reported, matchKey, roomKey ?? '', n.building ?? ''].join('\u0000'))
    .digest()
  return {
    issuer: issuer!,
    reported_on: reported,
    prefecture: prefecture!,
    city: city!,
    town: town!,
    block: block!,
    room: blank(room) ? null : room!,
    building: blank(building) ? null : building!,
    norm_prefecture: n.prefecture,
    norm_city: n.city,
    norm_town: n.town,
    norm_block: normBlock,
    norm_room: roomKey,
    match_key: matchKey,
    room_key: roomKey,
    town_key: n.townKey,
    city_key: n.cityKey,
    dedupe_hash: dedupe,
  }
}
