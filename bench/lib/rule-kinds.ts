// The rule kinds merchants write (comparisons, string tests, membership, has(), a macro over the
// items, optional chaining), shared by the CEL and backtest benches.
export const KINDS = [
  'order.amount >= 50000 && has(order.shipTo) && order.shipTo.address.prefecture != order.buyer.address.prefecture',
  "order.buyer.email.endsWith('@example-free.jp') && 'VELOCITY_SHIP_TO' in reasons",
  'features.amountRatio > 3.0 && features.merchantOrders >= 30',
  "order.items.exists(i, i.category == 'gift_card' && i.unitPrice * i.quantity >= 20000)",
  "hour >= 1 && hour < 5 && order.paymentMethod == 'card'",
  "'email' in lists.blocklist || features.shipToBuyers > 3",
  "has(order.card) && order.card.issuerCountry != 'JP' && score >= 30",
  "identities.emailDomain in ['example-free.jp', 'mail.example'] && order.buyer.name.matches('^[A-Za-z ]+$')",
  'size(features.historyMatchFields) > 0 || features.addressMatch == \'partial\'',
  "order.?shipTo.address.prefecture.orValue('') == '沖縄県'",
]
