// matchAddress: every row of seed 001's result table (照合条件毎の判定と照合結果).
import t from 'tap'
import { matchAddress, type MatchRecord } from '../../../src/domain/address/match.js'
import { normalizeAddress, type AddressInput } from '../../../src/domain/address/normalize.js'

const q = (block: string, room?: string, town = '道玄坂') => normalizeAddress({ prefecture: '東京都', city: '渋谷区', town, block, ...(room === undefined ? {} : { room }) })
const record = (block: string, room?: string, issuer = 'A', town = '道玄坂'): MatchRecord & { issuer: string } => {
  const a = normalizeAddress({ prefecture: '東京都', city: '渋谷区', town, block, ...(room === undefined ? {} : { room }) })
  return { issuer, matchKey: a.matchKey, roomKey: a.roomKey, townKey: a.townKey, cityKey: a.cityKey, prefecture: a.prefecture }
}

const rows: Array<[string, ReturnType<typeof q>, MatchRecord[], string, string, number]> = [
  // [name, query, records, result, room judgment, count]
  ['address hit, room hit → full (注1)', q('1-2-3', '101号室'), [record('1-2-3', '101')], 'full', 'hit', 1],
  ['address hit, room miss → partial', q('1-2-3', '202'), [record('1-2-3', '101')], 'partial', 'miss', 1],
  ['address hit, no room asked, record has a room → partial (注3)', q('1-2-3'), [record('1-2-3', '101')], 'partial', 'unspecified', 1],
  ['address hit, no room asked, record up to 号 → full (注2)', q('1-2-3'), [record('1-2-3')], 'full', 'unspecified', 1],
  ['address hit, room asked, record up to 号 → full whatever the room (room 指定なし)', q('1-2-3', '101'), [record('1-2-3')], 'full', 'unspecified', 1],
  ['address miss, room miss → none', q('1-2-4', '101'), [record('1-2-3', '101')], 'none', 'miss', 0],
  ['address miss, no room → none', q('1-2-4'), [record('1-2-3')], 'none', 'unspecified', 0],
  ['building never counts: 1-2-3 A棟101号室 vs B棟101号室 → full', q('1-2-3 B棟101号室'), [record('1-2-3 A棟101号室')], 'full', 'hit', 1],
  ['room spellings: 202 vs 202号室', q('1-2-3', '202'), [record('1-2-3', '202号室')], 'full', 'hit', 1],
  ['1-2-3-101 against 1-2-3 room 101: the trailing number is the room', q('1-2-3-101'), [record('1-2-3', '101')], 'full', 'hit', 1],
  ['1-2-3-101 against 1-2-3 up to 号', q('1-2-3-101'), [record('1-2-3')], 'full', 'unspecified', 1],
  ['5-6-7 against 5-6: 号 is not a room, no match', q('5-6-7'), [record('5-6')], 'none', 'unspecified', 0],
  ['123-4-101 against 123-4 room 101: a three-digit last number is a room', q('123-4-101'), [record('123-4', '101')], 'full', 'hit', 1],
  ['1-2-3 room 101 against a record written 1-2-3-101', q('1-2-3', '101'), [record('1-2-3-101')], 'full', 'unspecified', 1],
  ['several issuers: count is every hit, best first', q('1-2-3', '101'), [record('1-2-3', '202', 'A'), record('1-2-3', '101', 'B'), record('9-9', undefined, 'C')], 'full', 'hit', 2],
  ['no records → none', q('1-2-3'), [], 'none', 'unspecified', 0],
]

for (const [name, query, records, result, roomJudgment, count] of rows) {
  t.test(name, async (t) => {
    const m = matchAddress(query, records)
    t.equal(m.result, result)
    t.equal(m.fields.room, roomJudgment)
    t.equal(m.count, count)
    t.equal(m.matched.length, count)
    if (count > 0) t.same([m.fields.prefecture, m.fields.city, m.fields.town, m.fields.block], ['hit', 'hit', 'hit', 'hit'])
  })
}

t.test('matched records come back whole, best first', async (t) => {
  const m = matchAddress(q('1-2-3', '101'), [record('1-2-3', '202', 'A'), record('1-2-3', '101', 'B')])
  t.same(m.matched.map((r) => (r as { issuer: string }).issuer), ['B', 'A'])
})

t.test('per-field judgments when the address misses', async (t) => {
  const cases: Array<[string, MatchRecord[], [string, string, string, string]]> = [
    ['same town, other block', [record('9-9')], ['hit', 'hit', 'hit', 'miss']],
    ['same city, other town', [record('1-2-3', undefined, 'A', '宇田川町')], ['hit', 'hit', 'miss', 'miss']],
    ['same prefecture only', [{ matchKey: 'x', roomKey: null, prefecture: '東京都', cityKey: '東京都港区', townKey: '東京都港区六本木' }], ['hit', 'miss', 'miss', 'miss']],
    ['nothing near', [{ matchKey: 'x', roomKey: null }], ['miss', 'miss', 'miss', 'miss']],
  ]
  for (const [name, records, expected] of cases) {
    const { fields } = matchAddress(q('1-2-3'), records)
    t.same([fields.prefecture, fields.city, fields.town, fields.block], expected, name)
  }
})

t.test('split-insensitive end to end: 姫路市|飾磨区恵比酒 finds 姫路市飾磨区|恵比酒', async (t) => {
  const stored: AddressInput = { prefecture: '兵庫県', city: '姫路市飾磨区', town: '恵比酒', block: '1-2-3', room: '202号' }
  const s = normalizeAddress(stored)
  const m = matchAddress(normalizeAddress({ prefecture: '兵庫県', city: '姫路市', town: '飾磨区恵比酒', block: '1丁目2番地3号', room: '202' }), [{ matchKey: s.matchKey, roomKey: s.roomKey }])
  t.equal(m.result, 'full')
})
