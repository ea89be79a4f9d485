// Blocklist entries: each type's stored key or the reason it is refused; and the keys an order
// is looked up by, so that entry and order meet however each was typed.
import t from 'tap'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'
import {
  addressBlocklistKeys, emailBlocklistKeys, normalizeBlocklistValue, type BlocklistType, type BlocklistValue,
} from '../../../src/domain/identity/blocklist-value.js'
import { canonicalEmail } from '../../../src/domain/identity/email.js'

const DOGENZAKA = '東京都渋谷区道玄坂#1-2-3'

// [type, value, stored key or error]
const cases: Array<[BlocklistType, string, BlocklistValue]> = [
  ['email', 'Taro.Yamada+shop@Gmail.com', { normalized: 'taroyamada@gmail.com' }],
  ['email', 'taro..yamada.@docomo.ne.jp', { normalized: 'taro..yamada.@docomo.ne.jp' }],
  ['email', ' taro@Example.co.jp ', { normalized: 'taro@example.co.jp' }],
  // A whole domain; googlemail.com is filed under gmail.com like the addresses on it.
  ['email', '@Example.COM', { normalized: '@example.com' }],
  ['email', '＠ｅｘａｍｐｌｅ．ｃｏｍ', { normalized: '@example.com' }],
  ['email', '@googlemail.com', { normalized: '@gmail.com' }],
  ['email', 'taro@gmail', { error: 'is not an e-mail address' }],
  ['email', 'taro', { error: 'is not an e-mail address' }],
  ['email', '', { error: 'is not an e-mail address' }],
  ['email', '@example', { error: 'is not an e-mail domain' }],
  ['email', '@', { error: 'is not an e-mail domain' }],
  ['email', '@@example.com', { error: 'is not an e-mail domain' }],
  ['phone', '03-1234-5678', { normalized: '+81312345678' }],
  ['phone', '０９０（１２３４）５６７８', { normalized: '+819012345678' }],
  ['phone', '1234', { error: 'is not a Japanese phone number' }],
  ['name', '山田　太郎', { normalized: '山田太郎' }],
  ['name', 'やまだ・たろう', { normalized: 'ヤマダタロウ' }],
  ['name', '　・　', { error: 'is not a name' }],
  // An address with a room blocks that room; without one, every room at the address.
  ['address', '東京都渋谷区道玄坂1-2-3 101', { normalized: `${DOGENZAKA}|101` }],
  ['address', '東京都渋谷区道玄坂１丁目２番３号　１０１号室', { normalized: `${DOGENZAKA}|101` }],
  ['address', '東京都渋谷区道玄坂1-2-3', { normalized: DOGENZAKA }],
  ['address', 'New York', { error: 'not a Japanese address' }],
  ['address', '', { error: 'the address line is empty' }],
  ['address', '東京都渋谷区道玄坂', { error: 'the block (丁目・番地・号) has no number' }],
  ['card_bin', '4567 8901', { normalized: '45678901' }],
  ['card_bin', '456789', { normalized: '456789' }],
  ['card_bin', '4111111111111111', { error: 'is not a card BIN of 6 to 8 digits' }],
  ['card_bin', '12345', { error: 'is not a card BIN of 6 to 8 digits' }],
  ['ip', '203.0.113.9/24', { normalized: '203.0.113.0/24' }],
  ['ip', '203.0.113.7', { normalized: '203.0.113.7/32' }],
  ['ip', '2001:DB8::/32', { normalized: '2001:db8::/32' }],
  ['ip', '::ffff:203.0.113.7', { normalized: '203.0.113.7/32' }],
  ['ip', '203.0.113.0/33', { error: 'is not an IP address or CIDR range' }],
  ['ip', '01.2.3.4', { error: 'is not an IP address or CIDR range' }],
]

for (const [type, value, expected] of cases) {
  t.test(`${type} ${JSON.stringify(value)}`, async (t) => {
    t.same(normalizeBlocklistValue(type, value), expected)
  })
}

// [order's address line, lookup keys]
const orders: Array<[string, string[]]> = [
  ['東京都渋谷区道玄坂1-2-3 101', [DOGENZAKA, `${DOGENZAKA}|101`, `${DOGENZAKA}-101`]],
  ['東京都渋谷区道玄坂1-2-3', [DOGENZAKA]],
  // A trailing number may be the room: looked up both as the block and as block and room.
  ['東京都渋谷区道玄坂1-2-3-101', [`${DOGENZAKA}-101`, DOGENZAKA, `${DOGENZAKA}|101`]],
]

for (const [line, expected] of orders) {
  t.test(`addressBlocklistKeys ${line}`, async (t) => {
    t.same(addressBlocklistKeys(normalizeAddress({ line })), expected)
  })
}

const stored = (line: string): string => (normalizeBlocklistValue('address', line) as { normalized: string }).normalized
const blocks = (entry: string, order: string): boolean => addressBlocklistKeys(normalizeAddress({ line: order })).includes(stored(entry))

// [entry, order, blocked]
const meetings: Array<[string, string, boolean]> = [
  ['東京都渋谷区道玄坂1-2-3', '東京都渋谷区道玄坂1-2-3 101', true],
  ['東京都渋谷区道玄坂1-2-3', '東京都渋谷区道玄坂1-2-3', true],
  ['東京都渋谷区道玄坂1-2-3 101', '東京都渋谷区道玄坂1丁目2番3号 101号室', true],
  ['東京都渋谷区道玄坂1-2-3 101', '東京都渋谷区道玄坂1-2-3-101', true],
  ['東京都渋谷区道玄坂1-2-3-101', '東京都渋谷区道玄坂1-2-3 101', true],
  ['東京都渋谷区道玄坂1-2-3 101', '東京都渋谷区道玄坂1-2-3 102', false],
  ['東京都渋谷区道玄坂1-2-3 101', '東京都渋谷区道玄坂1-2-3', false],
  ['東京都渋谷区道玄坂1-2-3', '東京都渋谷区道玄坂1-2-4', false],
]

for (const [entry, order, expected] of meetings) {
  t.test(`entry ${entry} ${expected ? 'blocks' : 'does not block'} ${order}`, async (t) => {
    t.equal(blocks(entry, order), expected)
  })
}

t.test('an order e-mail is looked up as itself and as its domain', async (t) => {
  t.same(emailBlocklistKeys(canonicalEmail('Taro.Yamada+x@googlemail.com')!), ['taroyamada@gmail.com', '@gmail.com'])
  t.ok(emailBlocklistKeys(canonicalEmail('a@Example.com')!).includes((normalizeBlocklistValue('email', '@example.com') as { normalized: string }).normalized))
})
