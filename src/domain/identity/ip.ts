// An IP address or CIDR range as one canonical range (blocklist entries of type ip), and whether
// a buyer's address falls in one. node:net validates and prints; only host-bit masking is ours.
import { BlockList, SocketAddress, isIP } from 'node:net'

export type IpRange = { network: string; prefix: number; family: 4 | 6; canonical: string }

const PREFIX = /^(?:0|[1-9][0-9]{0,2})$/
// ::ffff:a.b.c.d is an IPv4 buyer seen through a dual-stack socket: it is that IPv4 address.
const MAPPED = /^::ffff:([0-9.]+)$/

/** A valid address as node prints it (inet_ntop: lower case, zeros compressed). */
function printed(address: string, family: 4 | 6): string {
  return new SocketAddress({ address, family: family === 4 ? 'ipv4' : 'ipv6' }).address
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number)
}

/** The eight 16-bit groups of a printed IPv6 address (its tail may be a dotted IPv4 address). */
function ipv6Groups(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined]
  const side = (text = ''): number[] =>
    text === '' ? [] : text.split(':').flatMap((g) => {
      if (!g.includes('.')) return [parseInt(g, 16)]
      const [a, b, c, d] = ipv4Bytes(g) as [number, number, number, number]
      return [(a << 8) | b, (c << 8) | d]
    })
  const [left, right] = [side(head), side(tail)]
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
}

/** Clears every bit after the first `prefix` of words `width` bits wide. */
function mask(words: number[], width: number, prefix: number): number[] {
  return words.map((w, i) => {
    const keep = Math.min(Math.max(prefix - i * width, 0), width)
    return keep === 0 ? 0 : w & ~((1 << (width - keep)) - 1) & ((1 << width) - 1)
  })
}

function toRange(network: string, prefix: number, family: 4 | 6): IpRange {
  return { network, prefix, family, canonical: `${network}/${prefix}` }
}

/**
 * '203.0.113.9/24' → 203.0.113.0/24, '2001:DB8::1' → 2001:db8::1/128, '::ffff:203.0.113.7' →
 * 203.0.113.7/32; null for anything node does not take as an address (01.2.3.4, zone ids) or a
 * prefix out of range. NFKC first, so a full-width address typed in a form is read too.
 */
export function parseIpRange(text: string): IpRange | null {
  const [address = '', prefixText, ...extra] = text.normalize('NFKC').trim().split('/')
  if (extra.length > 0 || (prefixText !== undefined && !PREFIX.test(prefixText))) return null
  const family = isIP(address)
  if ((family !== 4 && family !== 6) || address.includes('%')) return null
  const bits = family === 4 ? 32 : 128
  const prefix = prefixText === undefined ? bits : Number(prefixText)
  if (prefix > bits) return null
  const shown = printed(address, family)
  const mapped = family === 6 ? MAPPED.exec(shown) : null
  // A mapped range inside ::ffff:0:0/96 is an IPv4 range; a wider one stays IPv6.
  if (mapped !== null && prefix >= 96) return parseIpRange(`${mapped[1]}/${prefix - 96}`)
  if (family === 4) return toRange(mask(ipv4Bytes(shown), 8, prefix).join('.'), prefix, 4)
  const groups = mask(ipv6Groups(shown), 16, prefix).map((g) => g.toString(16)).join(':')
  return toRange(printed(groups, 6), prefix, 6)
}

/** Whether a single address (not a range) lies in the range; IPv4-mapped IPv6 counts as IPv4. */
export function ipInRange(ip: string, range: IpRange): boolean {
  const address = parseIpRange(ip)
  if (address === null || address.prefix !== (address.family === 4 ? 32 : 128)) return false
  const list = new BlockList()
  list.addSubnet(range.network, range.prefix, range.family === 4 ? 'ipv4' : 'ipv6')
  return list.check(address.network, address.family === 4 ? 'ipv4' : 'ipv6')
}
