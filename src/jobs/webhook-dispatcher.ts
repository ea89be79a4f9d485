// The HTTP client webhooks go out through: bounded connect, header and body timeouts, no
// redirects (undici follows none unless told to), and a DNS lookup that refuses private,
// link-local and loopback addresses at connect time — a public name may resolve to one (SSRF),
// which checking the URL when it is saved cannot see. Loopback passes only when
// SHINSA_ALLOW_LOOPBACK_WEBHOOKS is on (development and tests).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { Agent, type Dispatcher } from 'undici'
import { isLoopbackAddress, isPrivateAddress } from '../domain/webhooks/endpoint-url.js'

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

export function guardedLookup (allowLoopback: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err !== null) return callback(err, [])
      const list = addresses as LookupAddress[]
      const refused = list.find((a) => isPrivateAddress(a.address) && !(allowLoopback && isLoopbackAddress(a.address)))
      if (refused !== undefined) {
        const e = Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATEADDRESS' })
        return callback(e, [])
      }
      const all = (options as { all?: boolean }).all === true
      return all ? callback(null, list) : callback(null, list[0]!.address, list[0]!.family)
    })
  }
}

export function webhookDispatcher (opts: { allowLoopback: boolean; connectTimeoutMs?: number; timeoutMs?: number }): Dispatcher {
  return new Agent({
    connect: { timeout: opts.connectTimeoutMs ?? 5000, lookup: guardedLookup(opts.allowLoopback) as never },
    headersTimeout: opts.timeoutMs ?? 10_000,
    bodyTimeout: opts.timeoutMs ?? 10_000,
    connections: 50,
  })
}
