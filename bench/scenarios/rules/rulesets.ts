// Fifty merchant rules of the kinds fraud teams write — amounts, places, mail domains, built-in
// reasons and score, the hour, velocity features, items, optional fields — for the live
// version, and fifty others for the shadow: every rule runs on every order.
type Rule = { id: string; name: string; when: string; action: { add: number } | { set: 'hold' | 'review' | 'proceed' } }

const PREFECTURES = ['東京都', '大阪府', '北海道', '福岡県', '沖縄県', '愛知県', '神奈川県', '京都府', '宮城県', '広島県']
const DOMAINS = ['example-free.jp', 'mailinator.com', 'gmail.com', 'yahoo.co.jp', 'docomo.ne.jp']
const REASONS = ['VELOCITY_SHIP_TO', 'EMAIL_FREE_DOMAIN', 'SHIP_TO_DIFFERS', 'CARD_OVERSEAS', 'FORWARDING_ADDRESS', 'AMOUNT_UNUSUAL', 'KANA_MISMATCH', 'PHONE_REGION_MISMATCH', 'NAME_ROMAJI', 'RESALE_PRONE_ITEMS']
const CATEGORIES = ['camera', 'pc', 'watch', 'game', 'brand', 'jewelry', 'books', 'food']

function kinds (i: number, salt: number): string {
  const p = PREFECTURES[(i + salt) % PREFECTURES.length]!
  const d = DOMAINS[(i + salt) % DOMAINS.length]!
  const r = REASONS[(i + salt) % REASONS.length]!
  const c = CATEGORIES[(i + salt) % CATEGORIES.length]!
  switch (i % 10) {
    case 0: return `order.amount >= ${30000 + i * 1000} && has(order.shipTo) && order.shipTo.address.prefecture != order.buyer.address.prefecture`
    case 1: return `order.buyer.email.endsWith('@${d}') && '${r}' in reasons`
    case 2: return `score >= ${20 + i % 30} && order.paymentMethod == 'card'`
    case 3: return `hour >= ${i % 6} && hour < ${6 + i % 6} && order.amount > ${10000 + i * 500}`
    case 4: return `features.shipToBuyers >= ${2 + i % 3} || features.buyerHighValueOrders >= ${2 + i % 2}`
    case 5: return `has(order.items) && order.items.exists(it, has(it.category) && it.category == '${c}' && it.unitPrice * it.quantity >= ${20000 + i * 100})`
    case 6: return `has(identities.shipToPrefecture) && identities.shipToPrefecture == '${p}' && order.amount >= ${5000 + i * 100}`
    case 7: return `has(order.card) && has(order.card.issuerCountry) && order.card.issuerCountry != 'JP' && order.amount >= ${8000 + i * 200}`
    case 8: return `features.amountRatio > ${(3 + (i % 4)).toFixed(1)} || features.addressMatch == 'full'`
    default: return `has(identities.emailDomain) && identities.emailDomain in ['${d}', 'example-${i}.jp'] && size(reasons) >= ${1 + i % 3}`
  }
}

export function fiftyRules (salt: number): { rules: Rule[] } {
  return {
    rules: Array.from({ length: 50 }, (_, i): Rule => ({
      id: `bench-${salt}-${i}`,
      name: `ベンチ用ルール ${salt}-${i}`,
      when: kinds(i, salt),
      action: i % 7 === 0 ? { set: i % 2 === 0 ? 'review' : 'hold' } : { add: (i % 5) * 5 - 5 },
    })),
  }
}
