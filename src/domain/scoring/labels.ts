// What a merchant says an order turned out to be (feedback). Chargebacks and confirmed fraud are
// fraud; legitimate is a good order. Backtests measure a ruleset against these labels.
export type FeedbackType = 'chargeback' | 'fraud_confirmed' | 'legitimate'

export const FRAUD_LABELS: ReadonlySet<FeedbackType> = new Set(['chargeback', 'fraud_confirmed'])
