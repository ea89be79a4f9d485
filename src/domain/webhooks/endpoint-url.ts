// Which URLs a merchant may register as a webhook endpoint. shinsa POSTs to them from inside its
// own network, so an endpoint must not be a way to reach that network (SSRF): https to a public
// host only, plain http and loopback only when SHINSA_ALLOW_LOOPBACK_WEBHOOKS is set (development
// and tests).
//
// This pure check sees only the text. A public-looking name can resolve to a private address,
// today or after the check (DNS rebinding), so the sender must check the address it actually
// connects to again, with isPrivateAddress, at connect time — this function cannot.
import { BlockList, isIP } from 'node:net'

export const MAX_URL_LENGTH = 2048

/** Addresses no merchant endpoint lives at. IPv4 rules also catch IPv4-mapped IPv6 (::ffff:a.b.c.d). */
const PRIVATE = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on most systems
  ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT, private to the provider
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including the cloud metadata service at 169.254.169.254
  ['192.0.0.0', 24], ['198.18.0.0', 15], // IETF protocol assignments, benchmarking
  ['224.0.0.0', 4], ['240.0.0.0', 4], // multicast, reserved and broadcast
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 96], // unspecified (::), loopback (::1) and the deprecated IPv4-compatible ::a.b.c.d
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) PRIVATE.addSubnet(net, prefix, 'ipv6')

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/**
 * Whether an IP address (as from dns.lookup or socket.remoteAddress; brackets and a zone such as
 * %eth0 are allowed) is private, loopback, link-local or otherwise not public. Not an IP: false.
 */
export function isPrivateAddress(ip: string): boolean {
  return check(PRIVATE, ip)
}

/** Whether an IP address is loopback (127.0.0.0/8, ::1, or those mapped into IPv6). */
export function isLoopbackAddress(ip: string): boolean {
  return check(LOOPBACK, ip)
}

function check(list: BlockList, ip: string): boolean {
  const bare = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')
  const version = isIP(bare)
  return version !== 0 && list.check(bare, version === 4 ? 'ipv4' : 'ipv6')
}

/**
 * The endpoint URL, normalized (WHATWG), or why it is refused. Host names are judged as written;
 * IP literals after normalization, so 0x7f.1, 2130706433 and [::ffff:127.0.0.1] are all 127.0.0.1.
 */
export function checkWebhookUrl(text: string, allowLoopbackHttp: boolean): { url: string } | { error: string } {
  if (text.length > MAX_URL_LENGTH) return { error: `must be at most ${MAX_URL_LENGTH} characters` }
  // The parser would quietly drop spaces, tabs and newlines; what is stored should be what was typed.
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return { error: 'must not contain spaces or control characters' }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { error: 'is not a valid absolute URL' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: 'must use https' }
  if (url.username !== '' || url.password !== '') return { error: 'must not contain a user name or password' }
  if (url.href.includes('#')) return { error: 'must not contain a fragment (#…)' }

  const host = url.hostname.replace(/\.$/, '')
  const loopback = host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host)
  if (loopback) {
    return allowLoopbackHttp ? { url: url.href } : { error: 'must not point to a loopback address' }
  }
  if (url.protocol === 'http:') return { error: 'must use https' }
  if (isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0) {
    return isPrivateAddress(host) ? { error: 'must not point to a private or reserved address' } : { url: url.href }
  }
  // Names that only resolve inside a network: a single label (intranet, metadata), mDNS .local
  // and the private-use .internal (as in metadata.google.internal).
  if (!host.includes('.') || /\.(local|internal)$/.test(host)) return { error: 'must name a public host' }
  return { url: url.href }
}
