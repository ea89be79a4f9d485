// A merchant's retention from a request, checked against the operator's maximum.
import { AppError } from '../../errors.js'
import { RETENTION_DEFAULT_DAYS } from '../../schemas/merchant.js'

/** The retention_days column for `given` (undefined: unchanged, or the default when creating). */
export function retentionColumn (given: number | undefined, maxDays: number, creating: boolean): { retention_days?: number } {
  if (given === undefined) return creating ? { retention_days: Math.min(RETENTION_DEFAULT_DAYS, maxDays) } : {}
  if (given > maxDays) {
    throw new AppError('RETENTION_TOO_LONG', `settings.retentionDays must be at most ${maxDays} days on this service`, {
      errors: [{ path: 'body.settings.retentionDays', message: `must be at most ${maxDays} (SHINSA_RETENTION_MAX_DAYS)` }],
    })
  }
  return { retention_days: given }
}
