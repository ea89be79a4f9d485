// normalizeAddress: every spelling of one address gives one matchKey (and roomKey).
import t from 'tap'
import { AddressError, normalizeAddress, type AddressInput } from '../../../src/domain/address/normalize.js'

const key = (input: AddressInput) => normalizeAddress(input).matchKey
const room = (input: AddressInput) => normalizeAddress(input).roomKey
const parts = (city: string, town: string, block: string, prefecture = '東京都'): AddressInput => ({ prefecture, city, town, block })

// Groups of inputs that must share one matchKey (and, when given, one roomKey).
const same: Array<[string, AddressInput[], string?]> = [
  // Seed 001's own examples.
  ['姫路市|飾磨区恵比酒 = 姫路市飾磨区|恵比酒', [parts('姫路市', '飾磨区恵比酒', '1-2', '兵庫県'), parts('姫路市飾磨区', '恵比酒', '1-2', '兵庫県'), { line: '兵庫県姫路市飾磨区恵比酒1-2' }]],
  ['1-2-3 = 1丁目2番地3号', [parts('渋谷区', '道玄坂', '1-2-3'), parts('渋谷区', '道玄坂', '1丁目2番地3号')]],
  // Block spellings.
  ['block spellings', ['1-2-3', '1丁目2番地3号', '1丁目2番3号', '一丁目二番三号', '１－２－３', '1ー2ー3', '1‐2‐3', '1−2−3', '1–2–3', '1—2—3', '1―2―3', '1ｰ2ｰ3', '1の2の3', '１丁目２－３', ' 1 - 2 - 3 '].map((b) => parts('渋谷区', '道玄坂', b))],
  ['丁目 in the town', [parts('渋谷区', '道玄坂一丁目', '2-3'), parts('渋谷区', '道玄坂1丁目', '2番3号'), parts('渋谷区', '道玄坂', '1-2-3'), { line: '東京都渋谷区道玄坂一丁目2-3' }]],
  ['町/村/郡 split', [parts('東牟婁郡串本町', '串本', '1234', '和歌山県'), parts('串本町', '串本', '1234', '和歌山県'), parts('東牟婁郡', '串本町串本', '1234', '和歌山県'), { line: '和歌山県串本町串本1234' }, { line: '和歌山県東牟婁郡串本町串本千二百三十四' }]],
  ['designated city ward on either side', [parts('大阪市', '北区梅田', '1-2-3', '大阪府'), parts('大阪市北区', '梅田', '1-2-3', '大阪府'), { line: '大阪府大阪市北区梅田1丁目2番3号' }]],
  ['ケ/ヶ/ガ/が', ['霞が関', '霞ヶ関', '霞ケ関', '霞ガ関'].map((town) => parts('千代田区', town, '1-2-3'))],
  ['ノ/の/之', ['松ノ内町', '松の内町', '松之内町'].map((town) => parts('芦屋市', town, '5-16', '兵庫県'))],
  ['old and new kanji', [parts('北区', '中十条', '2-22-14'), parts('北區', '中十條', '2-22-14')]],
  ['澤/沢', [parts('世田谷区', '深沢', '1-2'), parts('世田谷区', '深澤', '1-2')]],
  ['邊/辺/邉, 齋/斎, 龍/竜, 檜/桧, 舘/館', [parts('X市', '渡辺斎竜桧館', '1', '千葉県'), parts('X市', '渡邊齋龍檜舘', '1', '千葉県'), parts('X市', '渡邉齋龍檜舘', '1', '千葉県')]],
  ['full/half width and spaces', [parts('渋谷区', '道玄坂', '1-2-3'), parts('渋谷区', '道玄坂', '１－２－３'), { line: '東京都 渋谷区 道玄坂 １－２－３' }, { line: '東京都　渋谷区道玄坂1-2-3' }]],
  ['条 numbers in Hokkaido', [parts('札幌市中央区', '南1条西', '5-1-2', '北海道'), parts('札幌市中央区', '南一条西五丁目', '1-2', '北海道'), { line: '北海道札幌市中央区南１条西５丁目１－２' }]],
  ['大字/字 dropped', [parts('南埼玉郡宮代町', '大字国納', '309-1', '埼玉県'), parts('南埼玉郡宮代町', '国納', '309-1', '埼玉県'), { line: '埼玉県南埼玉郡宮代町字国納309-1' }]],
  ['prefecture inferred from a unique city', [{ line: '串本町串本1234' }, { line: '和歌山県東牟婁郡串本町串本1234' }, { city: '串本町', town: '串本', block: '1234' }]],
  ['府中市: the town tells 東京都 from 広島県', [{ line: '府中市府川町315' }, { line: '広島県府中市府川町315' }]],
  ['line with building and room', [{ line: '東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル101' }, { prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '101号室', building: 'ヒューマックス渋谷ビル' }], '101'],
  ['numbered towns (番町)', [{ line: '富山県富山市三番町1番23号' }, { line: '富山県富山市3-1-23' }, parts('富山市', '三番町', '1-23', '富山県')]],
  ['Kyoto street names before the town', [{ line: '京都府京都市中京区錦小路通大宮東入七軒町466' }, parts('京都市中京区', '七軒町', '466', '京都府')]],
]

for (const [name, inputs, roomKey] of same) {
  t.test(name, async (t) => {
    const keys = inputs.map(key)
    t.same(new Set(keys).size, 1, `one matchKey: ${keys.join(' / ')}`)
    if (roomKey !== undefined) t.same(inputs.map(room), inputs.map(() => roomKey))
  })
}

t.test('room spellings (階・部屋番号)', async (t) => {
  const rows: Array<[string, string]> = [
    ['202', '202'], ['202号', '202'], ['202号室', '202'], ['２０２号室', '202'], ['#202', '202'],
    ['3F', '3F'], ['3階', '3F'], ['B1', 'B1'], ['B1F', 'B1'], ['地下1階', 'B1'], ['A棟101号室', '101'], ['a-101', 'A101'],
  ]
  for (const [given, expected] of rows) t.equal(room({ ...parts('渋谷区', '道玄坂', '1-2-3'), room: given }), expected, given)
  const lines: Array<[string, string | null, string | null]> = [
    ['東京都渋谷区道玄坂1-2-3 101', '101', null],
    ['東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル101号室', '101', 'ヒューマックス渋谷ビル'],
    ['東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル3F', '3F', 'ヒューマックス渋谷ビル'],
    ['東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル3階', '3F', 'ヒューマックス渋谷ビル'],
    ['東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビルB1', 'B1', 'ヒューマックス渋谷ビル'],
    ['東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル地下1階', 'B1', 'ヒューマックス渋谷ビル'],
    ['東京都渋谷区道玄坂1-2-3 ヒューマックス渋谷ビル', null, 'ヒューマックス渋谷ビル'],
    ['東京都渋谷区道玄坂一丁目二番三号ヒューマックス渋谷ビル101', '101', 'ヒューマックス渋谷ビル'],
  ]
  for (const [line, r, building] of lines) {
    const a = normalizeAddress({ line })
    t.same([a.block, a.room, a.building], ['1-2-3', r, building], line)
  }
})

t.test('seed 001: the building is split out and never in the key', async (t) => {
  const a = normalizeAddress(parts('渋谷区', '道玄坂', '1-2-3 A棟101号室'))
  const b = normalizeAddress(parts('渋谷区', '道玄坂', '1-2-3 B棟101号室'))
  t.same([a.matchKey, a.roomKey, a.building], [b.matchKey, '101', 'A棟'])
})

t.test('numbers inside names are names', async (t) => {
  const rows: Array<[string, string, string]> = [
    ['東京都千代田区一ツ橋2-1-2', '一ツ橋', '2-1-2'],
    ['東京都世田谷区三軒茶屋2-11-22', '三軒茶屋', '2-11-22'],
    ['東京都新宿区四谷1-2', '四谷', '1-2'],
    ['東京都世田谷区玉川2-21-1', '玉川', '2-21-1'],
    ['東京都港区六本木6-10-1', '六本木', '6-10-1'],
    ['東京都千代田区九段南1-2-1', '九段南', '1-2-1'],
    ['東京都中央区八丁堀2-1', '八丁堀', '2-1'],
    ['東京都千代田区一番町10-2', '一番町', '10-2'],
    ['東京都港区麻布十番1-2-3', '麻布十番', '1-2-3'],
    ['東京都八王子市元本郷町3-24-1', '元本郷町', '3-24-1'],
  ]
  for (const [line, town, block] of rows) {
    const a = normalizeAddress({ line })
    t.same([a.town, a.block], [town, block], line)
  }
  t.equal(normalizeAddress({ line: '東京都八王子市元本郷町3-24-1' }).city, '八王子市')
})

t.test('canonical parts', async (t) => {
  const a = normalizeAddress({ line: '〒150-0043 東京都渋谷区道玄坂１丁目２番３号 ヒューマックス渋谷ビル１０１号室' })
  t.match(a, { postalCode: '1500043', prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '101', building: 'ヒューマックス渋谷ビル', matchKey: '東京都渋谷区道玄坂#1-2-3', roomKey: '101', townKey: '東京都渋谷区道玄坂', cityKey: '東京都渋谷区' })
  t.equal(normalizeAddress({ line: '和歌山県串本町串本1234' }).city, '東牟婁郡串本町')
  t.equal(normalizeAddress(parts('大阪市', '北区梅田', '1', '大阪府')).city, '大阪市北区')
  t.equal(normalizeAddress({ city: '渋谷区', town: '道玄坂', block: '1', postalCode: '150-0043' }).prefecture, '東京都')
  t.equal(normalizeAddress({ city: '府中市', town: '府川町', block: '315' }).prefecture, '広島県')
  t.equal(normalizeAddress({ city: '府中市', town: '宮西町', block: '2-24' }).prefecture, '東京都')
})

t.test('readings: the trailing extra number read as the room, and the reverse', async (t) => {
  const a = normalizeAddress({ line: '東京都渋谷区道玄坂1-2-3-101' })
  t.same(a.readings, [
    { matchKey: '東京都渋谷区道玄坂#1-2-3-101', roomKey: null, kind: 'primary' },
    { matchKey: '東京都渋谷区道玄坂#1-2-3', roomKey: '101', kind: 'trailing-room' },
  ])
  t.same(a.lookupKeys, ['東京都渋谷区道玄坂#1-2-3-101', '東京都渋谷区道玄坂#1-2-3'])
  const b = normalizeAddress({ ...parts('渋谷区', '道玄坂', '1-2-3'), room: '101' })
  t.same(b.lookupKeys, ['東京都渋谷区道玄坂#1-2-3', '東京都渋谷区道玄坂#1-2-3-101'])
  t.same(normalizeAddress({ ...parts('渋谷区', '道玄坂', '1-2-3'), room: '3F' }).lookupKeys, ['東京都渋谷区道玄坂#1-2-3'])
  t.same(normalizeAddress(parts('渋谷区', '道玄坂', '1')).lookupKeys, ['東京都渋谷区道玄坂#1'])
})

t.test('refusals', async (t) => {
  const rows: Array<[AddressInput, string, string]> = [
    [{ prefecture: 'California', city: 'San Jose', town: 'Main St', block: '1' }, 'prefecture', 'NOT_DOMESTIC'],
    [{ prefecture: '台湾', city: '台北市', town: '信義区', block: '1' }, 'prefecture', 'NOT_DOMESTIC'],
    [{ line: '1600 Amphitheatre Parkway, Mountain View, CA 94043, USA' }, 'line', 'NOT_DOMESTIC'],
    [{ line: '中国上海市浦东新区1号' }, 'line', 'NOT_DOMESTIC'],
    [parts('渋谷区', '道玄坂', '番地なし'), 'block', 'BLOCK_WITHOUT_NUMBER'],
    [{ line: '東京都渋谷区道玄坂' }, 'block', 'BLOCK_WITHOUT_NUMBER'],
    [parts('渋谷区', '道玄坂', ''), 'block', 'MISSING'],
    [{ prefecture: '東京都', block: '1' }, 'city', 'MISSING'],
    [{ city: '府中市', town: 'あいうえお', block: '1' }, 'prefecture', 'MISSING'],
    [{ ...parts('渋谷区', '道玄坂', '1'), postalCode: '15000' }, 'postalCode', 'INVALID'],
  ]
  for (const [input, field, reason] of rows) {
    t.throws(() => normalizeAddress(input), { name: 'AddressError', field, reason }, JSON.stringify(input))
  }
  t.ok(new AddressError('block', 'MISSING', 'x') instanceof Error)
})

t.test('deterministic', async (t) => {
  const input = { line: '大阪府堺市北区新金岡町4丁1−8' }
  t.same(normalizeAddress(input), normalizeAddress(input))
  t.equal(key(input), key({ line: '大阪府堺市北区新金岡町４丁１ー８' }))
})
