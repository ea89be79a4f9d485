// From a scoring request to what the signals read: the order with its addresses normalized. An
// address shinsa cannot read (abroad, unknown municipality) does not refuse the order: it is
// scored without the address-based evidence. A structurally wrong address (line and parts,
// parts missing) is still a 400.
import { createHash } from 'node:crypto'
import { stringify } from 'safe-stable-stringify'
import { AppError } from '../../errors.js'
import type { NormalizedAddress } from '../../domain/address/normalize.js'
import { parseIpRange } from '../../domain/identity/ip.js'
import type { OrderInput, SignalContext } from '../../domain/scoring/order.js'
import type { Address } from '../../schemas/address.js'
import { normalizeApiAddress } from './address-input.js'

export function readAddress (address: Address, path: string): NormalizedAddress | null {
  try {
    return normalizeApiAddress(address, path)
  } catch (err) {
    if (err instanceof AppError && (err.code === 'ADDRESS_NOT_DOMESTIC' || err.code === 'ADDRESS_INVALID')) return null
    throw err
  }
}

export function orderContext (order: OrderInput): SignalContext {
  if (order.buyer.ip !== undefined && parseIpRange(order.buyer.ip) === null) {
    throw new AppError('VALIDATION_FAILED', 'body.buyer.ip: not an IPv4 or IPv6 address', {
      errors: [{ path: 'body.buyer.ip', message: 'must be an IPv4 or IPv6 address' }],
    })
  }
  const buyerAddress = readAddress(order.buyer.address, 'body.buyer.address')
  const shipToAddress = order.shipTo === undefined ? buyerAddress : readAddress(order.shipTo.address, 'body.shipTo.address')
  return { order, buyerAddress, shipToAddress }
}

/** SHA-256 of the body with its keys sorted: the same order sent again hashes the same. */
export function requestHash (body: unknown): Buffer {
  return createHash('sha256').update(stringify(body) ?? '').digest()
}
