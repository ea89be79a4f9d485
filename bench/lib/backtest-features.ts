// Stored-feature templates for bench/backtest.ts: the shape the score call stores
// (domain/scoring/features.ts), for a clean order and four risky kinds, each with the score,
// level and recommendation the built-in table gave it. The SQL varies amount, prefecture, time.
import type { DecisionFeatures } from '../../src/domain/scoring/features.js'
import type { ReasonCode } from '../../src/domain/scoring/reason.js'

const N = 5000
const LN = Math.log(8000)
const amounts = { n: N, sumLog: N * LN, sumLogSq: N * (LN * LN + 0.5) }

const MESSAGES: Partial<Record<ReasonCode, { ja: string; en: string; fields: string[] }>> = {
  EMAIL_FREE_DOMAIN: { ja: 'フリーメールアドレスです（gmail.com）。', en: 'The e-mail address is free mail (gmail.com).', fields: ['buyer.email'] },
  CARD_OVERSEAS: { ja: '海外発行のクレジットカードです', en: 'The card was issued outside Japan', fields: ['card.issuerCountry'] },
  SHIP_TO_DIFFERS: { ja: '注文者とお届け先(住所または氏名)が異なります', en: 'The ship-to (address or name) differs from the buyer\'s', fields: ['shipTo.address'] },
  FORWARDING_ADDRESS: { ja: 'お届け先が転送業者の住所です', en: 'The ship-to is a forwarding service', fields: ['shipTo.address'] },
  FRAUD_ADDRESS_FULL: { ja: 'お届け先がカード会社の不正利用懸念住所と完全一致しました（1件）', en: 'The ship-to fully matches 1 address in the card issuers\' fraud-address store', fields: ['shipTo.address'] },
}

function features (kind: { email: string; issuerCountry: string; building?: string; fraudAddress?: boolean; signals: ReasonCode[] }): DecisionFeatures {
  return {
    order: {
      orderId: 'TEMPLATE', amount: 0, paymentMethod: 'card',
      card: { bin: '401234', last4: '4242', issuerCountry: kind.issuerCountry },
      buyer: {
        name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: kind.email, phone: '03-3210-1234', ip: '203.0.113.7',
        address: { postalCode: '100-0005', prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1', room: '1001' },
      },
      shipTo: { name: '山田 花子', address: { postalCode: '530-0001', prefecture: '大阪府', city: '大阪市北区', town: '梅田', block: '3-4-5', ...(kind.building !== undefined ? { building: kind.building } : {}) } },
      items: [
        { sku: 'SKU-1', name: '本', category: 'books', unitPrice: 2800, quantity: 1 },
        { sku: 'SKU-2', name: 'ギフトカード', category: 'gift_card', unitPrice: 10000, quantity: 1 },
      ],
    },
    orderedAt: '2026-06-01T00:00:00.000Z',
    identities: {
      email: kind.email, emailDomain: kind.email.split('@')[1]!, phone: '+81332101234', buyerName: '山田太郎', shipToName: '山田花子',
      buyerPrefecture: '東京都', buyerCity: '千代田区', shipToPrefecture: '大阪府', shipToCity: '大阪市北区', shipToPostalCode: '5300001',
    },
    evidence: {
      fraudAddress: kind.fraudAddress === true ? { result: 'full', count: 1 } : { result: 'none', count: 0 },
      blocklist: [], history: [], shipToBuyers: 1, buyerHighValueOrders: 0, amounts,
    },
    signals: kind.signals.map((code) => ({ code, message: { ja: MESSAGES[code]!.ja, en: MESSAGES[code]!.en }, fields: MESSAGES[code]!.fields })),
  } as DecisionFeatures
}

export const FEATURE_TEMPLATES = [
  { features: features({ email: 'taro@example.co.jp', issuerCountry: 'JP', signals: ['SHIP_TO_DIFFERS'] }), score: 5, level: 'low', recommendation: 'proceed' },
  { features: features({ email: 'taro@gmail.com', issuerCountry: 'JP', signals: ['SHIP_TO_DIFFERS', 'EMAIL_FREE_DOMAIN'] }), score: 8, level: 'low', recommendation: 'proceed' },
  { features: features({ email: 'taro@example.co.jp', issuerCountry: 'US', signals: ['CARD_OVERSEAS', 'SHIP_TO_DIFFERS'] }), score: 15, level: 'elevated', recommendation: 'review' },
  { features: features({ email: 'taro@example-free.jp', issuerCountry: 'JP', building: '転送センター倉庫', signals: ['FORWARDING_ADDRESS', 'SHIP_TO_DIFFERS'] }), score: 35, level: 'elevated', recommendation: 'review' },
  { features: features({ email: 'taro@example.co.jp', issuerCountry: 'JP', fraudAddress: true, signals: ['FRAUD_ADDRESS_FULL', 'SHIP_TO_DIFFERS'] }), score: 65, level: 'high', recommendation: 'hold' },
] as const
