// POSTAL_CODE_MISMATCH: a real code of another prefecture or city fires; a right one never does.
import t from 'tap'
import { normalizeAddress, type AddressInput } from '../../../src/domain/address/normalize.js'
import type { SignalContext } from '../../../src/domain/scoring/order.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { postalCodeMismatch, postalVerdict, type PostalVerdict } from '../../../src/domain/scoring/signals/postal-code.js'

const cases: Array<[string, AddressInput, PostalVerdict]> = [
  // Seed 002 §3 目視チェック: an address inconsistent with itself — the postal code of another place.
  ['Shibuya code, Shibuya address', { postalCode: '150-0043', line: '東京都渋谷区道玄坂1-2-3' }, 'consistent'],
  ['Shibuya code, Osaka address', { postalCode: '150-0043', line: '大阪府大阪市北区梅田1-2-3' }, 'other-prefecture'],
  ['Shibuya code, 新宿区 address', { postalCode: '150-0043', line: '東京都新宿区西新宿2-8-1' }, 'other-city'],
  // Designated cities: the ward is part of the city, written on either side of the split.
  ['梅田 code, 大阪市北区', { postalCode: '530-0001', line: '大阪府大阪市北区梅田1-2-3' }, 'consistent'],
  ['梅田 code, ward in the town part', { postalCode: '5300001', prefecture: '大阪府', city: '大阪市', town: '北区梅田', block: '1-2-3' }, 'consistent'],
  ['梅田 code, 大阪市中央区', { postalCode: '530-0001', line: '大阪府大阪市中央区本町1-2-3' }, 'other-city'],
  // 郡 written or left out.
  ['串本 code, 郡 written', { postalCode: '649-3503', line: '和歌山県東牟婁郡串本町串本1234' }, 'consistent'],
  ['串本 code, 郡 left out', { postalCode: '649-3503', line: '和歌山県串本町串本1234' }, 'consistent'],
  // Width.
  ['full-width code', { postalCode: '１５０－００４３', line: '東京都渋谷区道玄坂1-2-3' }, 'consistent'],
  // No evidence: no code, or a code KEN_ALL does not list (事業所 codes).
  ['no code', { line: '東京都渋谷区道玄坂1-2-3' }, 'unknown'],
  ['unlisted code', { postalCode: '999-9999', line: '東京都渋谷区道玄坂1-2-3' }, 'unknown'],
]

for (const [name, input, verdict] of cases) {
  t.test(name, async (t) => t.equal(postalVerdict(normalizeAddress(input)), verdict))
}

const ctx = (buyer: AddressInput, shipTo?: AddressInput): SignalContext => ({
  order: {
    orderId: 'o1', amount: 1000, paymentMethod: 'card',
    buyer: { name: '山田太郎', email: 'a@example.co.jp', address: buyer },
    ...(shipTo === undefined ? {} : { shipTo: { address: shipTo } }),
  },
  buyerAddress: normalizeAddress(buyer),
  shipToAddress: normalizeAddress(shipTo ?? buyer),
})

t.test('the signal names the address whose code is wrong, once when there is no ship-to', async (t) => {
  const right = { postalCode: '150-0043', line: '東京都渋谷区道玄坂1-2-3' }
  const wrong = { postalCode: '150-0043', line: '大阪府大阪市北区梅田1-2-3' }
  t.match(fire(postalCodeMismatch, ctx(wrong)), { code: 'POSTAL_CODE_MISMATCH', weight: 10, fields: ['buyer.address.postalCode'], message: { ja: /〒150-0043/ } })
  t.match(fire(postalCodeMismatch, ctx(right, wrong)), { fields: ['shipTo.address.postalCode'] })
  t.equal(fire(postalCodeMismatch, ctx(right)), null)
  t.equal(fire(postalCodeMismatch, ctx(right, right)), null)
  t.equal(fire(postalCodeMismatch, { ...ctx(right), buyerAddress: null, shipToAddress: null }), null)
})
