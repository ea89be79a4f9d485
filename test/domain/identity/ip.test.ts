// IP ranges: one canonical CIDR per range (host bits zeroed, IPv6 compressed, IPv4-mapped read as
// IPv4), and whether a buyer's address lies in one.
import t from 'tap'
import { ipInRange, parseIpRange, type IpRange } from '../../../src/domain/identity/ip.js'

// [typed, canonical CIDR (null: refused), family]
const ranges: Array<[string, string | null, 4 | 6 | null]> = [
  // IPv4: a single address is a /32; host bits are zeroed.
  ['203.0.113.7', '203.0.113.7/32', 4],
  ['203.0.113.0/24', '203.0.113.0/24', 4],
  ['203.0.113.9/24', '203.0.113.0/24', 4],
  ['203.0.113.255/25', '203.0.113.128/25', 4],
  ['10.20.30.40/12', '10.16.0.0/12', 4],
  ['203.0.113.7/32', '203.0.113.7/32', 4],
  ['0.0.0.0/0', '0.0.0.0/0', 4],
  [' ２０３．０．１１３．７ ', '203.0.113.7/32', 4],
  // IPv6: compressed lower case, host bits zeroed inside a group too.
  ['2001:db8::/32', '2001:db8::/32', 6],
  ['2001:DB8:ABCD:1234::1/32', '2001:db8::/32', 6],
  ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', 6],
  ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/65', '2001:db8:ffff:ffff:8000::/65', 6],
  ['2001:db8:1:2:3:4:5:6/127', '2001:db8:1:2:3:4:5:6/127', 6],
  ['::1', '::1/128', 6],
  ['::/0', '::/0', 6],
  // IPv4-mapped IPv6 is the IPv4 address, in either spelling; a range narrower than /96 too.
  ['::ffff:203.0.113.7', '203.0.113.7/32', 4],
  ['::FFFF:cb00:7107', '203.0.113.7/32', 4],
  ['::ffff:203.0.113.7/120', '203.0.113.0/24', 4],
  ['::ffff:0:0/96', '0.0.0.0/0', 4],
  ['::ffff:0:0/95', '::fffe:0:0/95', 6],
  // Refused: leading zeros, short forms, out-of-range octets and prefixes, zone ids, garbage.
  ['01.2.3.4', null, null], ['1.2.3', null, null], ['256.1.1.1', null, null], ['0x1.2.3.4', null, null],
  ['1.2.3.4/33', null, null], ['2001:db8::/129', null, null], ['1.2.3.4/', null, null],
  ['1.2.3.4/024', null, null], ['1.2.3.4/-1', null, null], ['1.2.3.4/8/8', null, null], ['1.2.3.4/ 8', null, null],
  ['fe80::1%eth0', null, null], ['2001:db8:::1', null, null], ['2001:db8::g', null, null],
  ['', null, null], ['/24', null, null], ['localhost', null, null], ['example.com', null, null],
]

for (const [typed, canonical, family] of ranges) {
  t.test(`parseIpRange ${JSON.stringify(typed)}`, async (t) => {
    const range = parseIpRange(typed)
    t.equal(range?.canonical ?? null, canonical, 'canonical')
    t.equal(range?.family ?? null, family, 'family')
    if (range !== null) t.equal(`${range.network}/${range.prefix}`, range.canonical, 'network and prefix')
  })
}

const range = (text: string): IpRange => parseIpRange(text)!

// [ip, range, inside]
const inside: Array<[string, string, boolean]> = [
  ['203.0.113.200', '203.0.113.0/24', true],
  ['203.0.113.0', '203.0.113.0/24', true],
  ['203.0.114.1', '203.0.113.0/24', false],
  ['203.0.113.7', '203.0.113.7', true],
  ['203.0.113.8', '203.0.113.7', false],
  ['198.51.100.1', '0.0.0.0/0', true],
  // An IPv4 buyer seen through a dual-stack socket.
  ['::ffff:203.0.113.5', '203.0.113.0/24', true],
  ['203.0.113.5', '::ffff:203.0.113.0/120', true],
  ['2001:db8:1::5', '2001:db8::/32', true],
  ['2001:DB8::1', '2001:db8::1', true],
  ['2001:db9::1', '2001:db8::/32', false],
  // Families never cross (but for IPv4-mapped), and the buyer is one address, not a range.
  ['203.0.113.1', '2001:db8::/32', false],
  ['2001:db8::1', '0.0.0.0/0', false],
  ['203.0.113.0/25', '203.0.113.0/24', false],
  ['not an ip', '203.0.113.0/24', false],
  ['', '203.0.113.0/24', false],
]

for (const [ip, within, expected] of inside) {
  t.test(`ipInRange ${ip} in ${within}`, async (t) => {
    t.equal(ipInRange(ip, range(within)), expected)
  })
}
