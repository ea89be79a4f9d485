// The risky delivery places of seed 002 §4 (不正注文のお届け先に悪用されやすい場所), one table per code.
import t from 'tap'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'
import type { AddressInput, OrderInput, SignalContext } from '../../../src/domain/scoring/order.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { fire, type Signal } from '../../../src/domain/scoring/signal.js'
import { careOfAddress } from '../../../src/domain/scoring/signals/care-of-address.js'
import { forwardingAddress } from '../../../src/domain/scoring/signals/forwarding-address.js'
import { pickupOrHoldAddress } from '../../../src/domain/scoring/signals/pickup-or-hold-address.js'
import { shortStayAddress } from '../../../src/domain/scoring/signals/short-stay-address.js'

const normalized = (a: AddressInput) => {
  try { return normalizeAddress(a) } catch { return null }
}
const home: AddressInput = { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3' }
const ctx = (address: AddressInput, name?: string): SignalContext => {
  const order: OrderInput = {
    orderId: 'A-1', amount: 10000, paymentMethod: 'card',
    buyer: { name: '山田太郎', email: 'taro@example.jp', address: home },
    shipTo: { ...(name === undefined ? {} : { name }), address },
  }
  return { order, buyerAddress: normalized(home), shipToAddress: normalized(address) }
}
const at = (building: string, extra: Partial<AddressInput> = {}): AddressInput => ({ ...home, building, ...extra })

// [name, context, fields or null]
type Row = [string, SignalContext, string[] | null]

const tables: Array<[string, Signal<string, SignalContext>, Row[]]> = [
  ['FORWARDING_ADDRESS', forwardingAddress, [
    // Seed 002 §4: 海外転送サービスの指定住所(倉庫); 住所の末尾に数字・記号・アルファベット.
    ['倉庫 in the building', ctx(at('XX物流倉庫')), ['shipTo.address.building']],
    ['転送センター', ctx(at('ABC転送センター 2F')), ['shipTo.address.building']],
    ['trailing code ABC-12345', ctx({ ...home, building: 'ABC-12345' }), ['shipTo.address.building']],
    ['trailing code #JP1234 in the room', ctx({ ...home, building: 'ロジビル', room: '#JP1234' }), ['shipTo.address.room']],
    ['code in a line', ctx({ line: '千葉県市川市塩浜2-13-1 TS12345' }), ['shipTo.address.line']],
    ['code after the name', ctx(home, 'Taro Yamada JP-98765'), ['shipTo.name']],
    ['ｆｏｒｗａｒｄｉｎｇ full width', ctx(at('ｆｏｒｗａｒｄｉｎｇ ｄｅｐｏｔ')), ['shipTo.address.building']],
    ['a code in the room field only', ctx({ ...home, room: 'JP-12345' }), ['shipTo.address.room']],
    ['a code typed into the block', ctx({ ...home, block: '2-13-1 TS12345' }), ['shipTo.address.block']],
    ['ordinary room 101', ctx({ ...home, building: 'ヒューマックスビル', room: '101号室' }), null],
    ['one letter and digits: A-101', ctx({ ...home, building: 'パークハイツ', room: 'A-101' }), null],
    ['# and a number: #101', ctx({ ...home, room: '#101' }), null],
    ['floor B1F', ctx({ ...home, room: 'B1F' }), null],
    ['a line with building and room', ctx({ line: '東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル101' }), null],
  ]],
  ['PICKUP_OR_HOLD_ADDRESS', pickupOrHoldAddress, [
    // Seed 002 §4: 郵便局留、運送会社営業所留、宅配ロッカー・宅配ボックス.
    ['郵便局留', ctx(at('渋谷郵便局留')), ['shipTo.address.building']],
    ['局留め in the block', ctx({ ...home, block: '1-2-3 渋谷局留め' }), ['shipTo.address.block']],
    ['営業所留', ctx(at('ヤマト運輸 渋谷営業所留')), ['shipTo.address.building']],
    ['営業所止め', ctx(at('佐川急便 渋谷営業所止め')), ['shipTo.address.building']],
    ['センター止め置き', ctx(at('渋谷センター止め置き')), ['shipTo.address.building']],
    ['宅配ロッカー', ctx(at('駅前宅配ロッカー')), ['shipTo.address.building']],
    ['ﾀｸﾊｲﾎﾞｯｸｽ half width', ctx(at('宅配ﾎﾞｯｸｽ')), ['shipTo.address.building']],
    ['PUDO', ctx(at('PUDOステーション 渋谷駅')), ['shipTo.address.building']],
    ['Amazon Hub locker', ctx(at('Amazon Hub ロッカー')), ['shipTo.address.building']],
    ['in a line', ctx({ line: '東京都渋谷区道玄坂1-2-3 渋谷郵便局留' }), ['shipTo.address.line']],
    ['留萌市 is a city, not 留', ctx({ prefecture: '北海道', city: '留萌市', town: '本町', block: '1-2' }), null],
    ['ordinary mansion', ctx(at('サンハイツ渋谷')), null],
  ]],
  ['CARE_OF_ADDRESS', careOfAddress, [
    // Seed 002 §4: 〜方、〜気付.
    ['田中方', ctx(at('田中方')), ['shipTo.address.building']],
    ['鈴木様方', ctx(at('コーポ渋谷 鈴木様方')), ['shipTo.address.building']],
    ['株式会社ABC気付', ctx(at('株式会社ABC気付')), ['shipTo.address.building']],
    ['name (田中方)', ctx(home, '山田太郎(田中方)'), ['shipTo.name']],
    ['name 田中 方', ctx(home, '山田太郎 田中 方'), ['shipTo.name']],
    ['c/o', ctx(home, 'Taro Yamada c/o Suzuki'), ['shipTo.name']],
    ['in a line', ctx({ line: '東京都渋谷区道玄坂1-2-3 佐藤方' }), ['shipTo.address.line']],
    ['方南町 is a town', ctx({ prefecture: '東京都', city: '杉並区', town: '方南', block: '1-2-3' }), null],
    ['北方 is a town', ctx({ prefecture: '岐阜県', city: '本巣郡北方町', town: '北方', block: '1' }), null],
    ['緒方 is a surname', ctx(home, '緒方 健'), null],
    ['緒方 alone', ctx(home, '緒方'), null],
    ['a building with 方 inside', ctx(at('方丈ハイツ')), null],
  ]],
  ['SHORT_STAY_ADDRESS', shortStayAddress, [
    // Seed 002 §4: 短期滞在型ウィークリーマンション、レンタルオフィス・貸しスタジオ、私設私書箱、ネットカフェ、民泊・ホテル.
    ['ウィークリーマンション', ctx(at('ウィークリーマンション渋谷 305')), ['shipTo.address.building']],
    ['ｳｨｰｸﾘｰ half width', ctx(at('ｳｨｰｸﾘｰ渋谷')), ['shipTo.address.building']],
    ['ウイークリー (large イ)', ctx(at('ウイークリー道玄坂')), ['shipTo.address.building']],
    ['マンスリーマンション', ctx(at('マンスリーマンション新宿')), ['shipTo.address.building']],
    ['レンタルオフィス', ctx(at('渋谷レンタルオフィス 5F')), ['shipTo.address.building']],
    ['バーチャルオフィス', ctx(at('バーチャルオフィス渋谷')), ['shipTo.address.building']],
    ['私書箱', ctx(at('私書箱 No.123')), ['shipTo.address.building']],
    ['ネットカフェ', ctx(at('ネットカフェ快活')), ['shipTo.address.building']],
    ['漫画喫茶', ctx(at('漫画喫茶ポパイ')), ['shipTo.address.building']],
    ['民泊', ctx(at('民泊 渋谷ハウス')), ['shipTo.address.building']],
    ['ホテル', ctx(at('ホテル渋谷 1205')), ['shipTo.address.building']],
    ['hotel in a name', ctx(home, 'Hotel Shibuya guest'), ['shipTo.name']],
    ['旅館', ctx(at('旅館 山水')), ['shipTo.address.building']],
    ['ホテル in a line', ctx({ line: '東京都渋谷区道玄坂1-2-3 ﾎﾃﾙ渋谷 101号室' }), ['shipTo.address.line']],
    ['ordinary mansion', ctx(at('ライオンズマンション渋谷')), null],
    ['ordinary house', ctx(home), null],
  ]],
]

for (const [code, signal, rows] of tables) {
  for (const [name, c, fields] of rows) {
    t.test(`${code}: ${name}`, async (t) => {
      const r = fire(signal, c)
      if (fields === null) return void t.equal(r, null)
      t.ok(r)
      t.equal(r?.code, code)
      t.equal(r?.weight, RULESET.weights[code as keyof typeof RULESET.weights])
      t.same(r?.fields, fields)
      t.ok(r?.message.ja && r.message.en)
    })
  }
}

// Ordinary addresses: none of the four place types may fire.
const ordinary: Array<[string, SignalContext]> = [
  ['霞が関 with a government building', ctx({ line: '東京都千代田区霞が関1-1-1 中央合同庁舎第4号館' }, '山田 太郎')],
  ['a tower mansion room 2001', ctx(at('パークタワー渋谷', { room: '2001' }), '佐藤花子')],
  ['a katakana mansion with B-1203', ctx(at('シティハウス', { room: 'B-1203' }), 'スズキ イチロウ')],
  ['an English building name', ctx(at('Heights Aoyama', { room: '301' }), 'Taro Yamada')],
  ['コーポ緒方 (an owner surname)', ctx(at('コーポ緒方 102'), '緒方 健')],
  ['方南町', ctx({ line: '東京都杉並区方南2-1-1 方南町ハイツ201' }, '土方 歳三')],
  ['鈴木様 in the name', ctx(home, '鈴木 様')],
  ['an office building floor', ctx(at('ヒューマックス渋谷ビル 3F'), '株式会社シンサ 総務部')],
]
for (const [name, c] of ordinary) {
  t.test(`ordinary: ${name}`, async (t) => {
    for (const signal of [forwardingAddress, pickupOrHoldAddress, careOfAddress, shortStayAddress]) t.equal(fire(signal, c), null, signal.code)
  })
}

t.test('care of 田中 and 鈴木 though 中方 and 木方 end surnames', async (t) => {
  t.ok(fire(careOfAddress, ctx(at('鈴木方'))))
  t.ok(fire(careOfAddress, ctx(at('緒方方'))))
})

t.test('no shipTo: the buyer address is the ship-to', async (t) => {
  const address = at('田中方')
  const order: OrderInput = { orderId: '1', amount: 1, paymentMethod: 'card', buyer: { name: '山田', email: 'a@b.jp', address } }
  const r = fire(careOfAddress, { order, buyerAddress: normalized(address), shipToAddress: normalized(address) })
  t.same(r?.fields, ['buyer.address.building'])
})

t.test('an unreadable line is read whole', async (t) => {
  const r = fire(shortStayAddress, ctx({ line: 'ネットカフェ どこか' }))
  t.same(r?.fields, ['shipTo.address.line'])
})
