// findCardNumber / findCardNumberIn: a full card number (PAN) anywhere is found, and only that.
import t from 'tap'
import { findCardNumber, findCardNumberIn } from '../../../src/domain/scoring/pan.js'

const refused: Array<[string, string]> = [
  ['Visa, spaces', '4111 1111 1111 1111'],
  ['Visa 13 digits', '4222222222222'],
  ['Visa 19 digits', '4111111111111111110'],
  ['Mastercard, hyphens', '5555-5555-5555-4444'],
  ['Mastercard 2-series', '2223 0000 4840 0011'],
  ['JCB', '3530 1113 3330 0000'],
  ['JCB 19 digits', '3528000000000000007'],
  ['Amex 4-6-5', '3782 822463 10005'],
  ['Diners 14 digits', '3056 930902 5904'],
  ['Diners 36', '36227206271667'],
  ['Discover 6011', '6011-1111-1111-1117'],
  ['Discover 644–649', '6445 6445 6445 6445'],
  ['Discover 622126', '6221260000000000'],
  ['UnionPay', '6200 0000 0000 0005'],
  ['UnionPay 19 digits', '6200000000000000000'],
  ['full-width digits and dashes', '４１１１－１１１１－１１１１－１１１１'],
  ['inside free text', 'card 4111 1111 1111 1111 please'],
  ['inside Japanese text', 'カード番号は4111111111111111です'],
  ['after another number', '注文 12345 4111 1111 1111 1111'],
]
const accepted: Array<[string, string]> = [
  ['Luhn-valid but no brand range (starts 1)', '1234567812345670'],
  ['Luhn-valid but no brand range (starts 9)', '9000000000000001'],
  ['Visa range at 15 digits', '411111111111009'],
  ['Amex range at 16 digits', '3782822463100003'],
  ['Visa range, Luhn fails', '4111 1111 1111 1112'],
  ['UnionPay range at 12 digits', '620000000005'],
  ['BIN and last 4', '411111 / 1111'],
  ['phone number', '090-1234-5678'],
  ['postal code and phone', '150-0043 03-1234-5678'],
  ['a date', '2026-11-23'],
  ['a card number glued to more digits is no card', '41111111111111119'],
  ['empty', ''],
]

for (const [name, value] of refused) t.test(`refused: ${name}`, async (t) => t.equal(findCardNumber(value), true))
for (const [name, value] of accepted) t.test(`accepted: ${name}`, async (t) => t.equal(findCardNumber(value), false))

const order = (patch: Record<string, unknown>) => ({
  orderId: '4111111111111111', // a 16-digit numeric order number is the merchant's own
  amount: 12800,
  paymentMethod: 'card',
  card: { bin: '411111', last4: '1111' },
  buyer: { name: '山田太郎', email: 'taro@example.jp', address: { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3' } },
  items: [{ sku: '5555555555554444', name: 'カメラ', unitPrice: 12800, quantity: 1 }],
  trackingNumber: '3530111333300000',
  ...patch,
})

const paths: Array<[string, unknown, string | null]> = [
  ['an ordinary order: orderId, sku and trackingNumber are not searched', order({}), null],
  ['the buyer name', order({ buyer: { name: 'card 4111 1111 1111 1111 please', email: 'a@b.jp', address: { line: '東京都' } } }), 'buyer.name'],
  ['the third item name', order({ items: [{ name: 'a', unitPrice: 1, quantity: 1 }, { name: 'b', unitPrice: 1, quantity: 1 }, { name: '5555-5555-5555-4444', unitPrice: 1, quantity: 1 }] }), 'items[2].name'],
  ['a number field', order({ card: { bin: '411111', last4: '1111', holderName: 4111111111111111 } }), 'card.holderName'],
  ['the address building', order({ shipTo: { address: { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', building: 'ビル 3782 822463 10005' } } }), 'shipTo.address.building'],
  ['the first of two', order({ note: '6011111111111117', buyer: { name: '4111111111111111', email: 'a@b.jp', address: {} } }), 'buyer.name'],
  ['an unknown field', order({ memo: ['x', { deep: 'JCB 3530111333300000' }] }), 'memo[1].deep'],
  ['a sku elsewhere than items is searched', order({ sku: '4111111111111111' }), 'sku'],
]
for (const [name, body, path] of paths) t.test(`path: ${name}`, async (t) => t.equal(findCardNumberIn(body), path))

t.test('custom exceptions with [*]', async (t) => {
  const body = { lines: [{ ref: '4111111111111111' }], x: 'none' }
  t.equal(findCardNumberIn(body, ['lines[*].ref']), null)
  t.equal(findCardNumberIn(body, []), 'lines[0].ref')
})

t.test('never returns the number', async (t) => {
  const path = findCardNumberIn({ buyer: { name: '4111111111111111' } })
  t.equal(path, 'buyer.name')
  t.notMatch(String(path), /[0-9]{4}/)
})

t.test('scalars and nulls', async (t) => {
  t.equal(findCardNumberIn(null), null)
  t.equal(findCardNumberIn('4111111111111111'), '')
  t.equal(findCardNumberIn({ a: null, b: true, c: 1.5 }), null)
})

t.test('a UUID in free text is an identifier, not a card number', async (t) => {
  t.notOk(findCardNumber('ticket 9fe56e02-dbed-4662-9376-32753abdecf9'), 'its groups 4662-9376-32753 pass Luhn by chance')
  t.ok(findCardNumber('ticket 9fe56e02-dbed-4662-9376-32753abdecf9 card 4111 1111 1111 1111'), 'a real card beside it is still found')
})
