// AMOUNT_UNUSUAL: the amount is far above what this merchant usually sells (高額注文). Order
// amounts are roughly log-normal, so the test runs on ln(amount): more than
// `sigmas` standard deviations above the mean, and at least `minRatio` times the
// typical (geometric mean) order, once the merchant has `minOrders` orders to judge by.
import type { AmountStats, ScoringContext } from '../evidence.js'
import { signal } from '../signal.js'

/** RULESET.amount: when an order is unusually large for its merchant. */
export const AMOUNT_UNUSUAL = {
  /** AMOUNT_UNUSUAL judges nothing before the merchant has this many orders. */
  minOrders: 30,
  /** Standard deviations of ln(amount) above the mean … */
  sigmas: 3,
  /** … and at least this many times the typical (geometric mean) order. */
  minRatio: 5,
} as const

/** Geometric mean and the amount above which an order is unusual, or null while too few orders are known. */
export function unusualAbove(stats: AmountStats): { typical: number; limit: number } | null {
  const { minOrders, sigmas, minRatio } = AMOUNT_UNUSUAL
  if (stats.n < minOrders) return null
  const mean = stats.sumLog / stats.n
  const variance = Math.max(0, stats.sumLogSq / stats.n - mean * mean)
  const typical = Math.exp(mean)
  return { typical, limit: Math.max(Math.exp(mean + sigmas * Math.sqrt(variance)), typical * minRatio) }
}

export const amountUnusual = signal({
  code: 'AMOUNT_UNUSUAL',
  weight: 10,
  judge: (ctx: ScoringContext) => {
    const above = unusualAbove(ctx.evidence.amounts)
    if (above === null || ctx.order.amount <= above.limit) return null
    const typical = Math.round(above.typical).toLocaleString('en-US')
    return {
      message: {
        ja: `通常の注文金額（約${typical}円）を大きく上回っています`,
        en: `The amount is far above this merchant's usual order (about JPY ${typical})`,
      },
      fields: ['amount'],
    }
  },
})
