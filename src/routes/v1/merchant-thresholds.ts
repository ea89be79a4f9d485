// Level thresholds from a request, checked against each other (elevated < high).
import { AppError } from '../../errors.js'

export function thresholdColumns (
  given: { elevated?: number; high?: number } | undefined,
  current: { elevated: number; high: number }
): { level_elevated_at?: number; level_high_at?: number } {
  if (given === undefined) return {}
  const elevated = given.elevated ?? current.elevated
  const high = given.high ?? current.high
  if (elevated >= high) {
    throw new AppError('VALIDATION_FAILED', 'settings.thresholds.elevated must be below settings.thresholds.high', {
      errors: [{ path: 'body.settings.thresholds.elevated', message: `must be below high (${high})` }],
    })
  }
  return { level_elevated_at: elevated, level_high_at: high }
}
