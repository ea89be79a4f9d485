// From the API's address object to the normalizer's input, and its refusals to problems.
import { AppError } from '../../errors.js'
import { AddressError, normalizeAddress, type NormalizedAddress } from '../../domain/address/normalize.js'
import type { Address } from '../../schemas/address.js'

const REQUIRED = ['prefecture', 'city', 'town', 'block'] as const

/** Normalizes `address` found at `path` (e.g. body.address), or throws the matching problem. */
export function normalizeApiAddress (address: Address, path: string): NormalizedAddress {
  const { line, ...parts } = address
  if (line !== undefined) {
    const extra = REQUIRED.filter((k) => parts[k] !== undefined)
    if (extra.length > 0) {
      throw new AppError('VALIDATION_FAILED', `${path}: give line or the parts, not both`, {
        errors: extra.map((k) => ({ path: `${path}.${k}`, message: 'must not be given with line' })),
      })
    }
  } else {
    const missing = REQUIRED.filter((k) => parts[k] === undefined)
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', `${path}: ${missing.join(', ')} required (or line)`, {
        errors: missing.map((k) => ({ path: `${path}.${k}`, message: 'is required' })),
      })
    }
  }
  try {
    return normalizeAddress(line !== undefined ? { line, postalCode: parts.postalCode } : parts)
  } catch (err) {
    if (!(err instanceof AddressError)) throw err
    const errors = [{ path: `${path}.${err.field}`, message: err.message }]
    if (err.reason === 'NOT_DOMESTIC') throw new AppError('ADDRESS_NOT_DOMESTIC', `${path}.${err.field}: ${err.message}`, { errors })
    if (err.reason === 'MISSING') throw new AppError('VALIDATION_FAILED', `${path}.${err.field}: ${err.message}`, { errors })
    throw new AppError('ADDRESS_INVALID', `${path}.${err.field}: ${err.message}`, { errors })
  }
}
