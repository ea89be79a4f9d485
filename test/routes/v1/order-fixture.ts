// A plain, clean order for the scoring and shipment route tests; each test patches what it needs.
export const HOME = { prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1', room: '1001' }

export function order (patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: 'ORD-0001',
    amount: 5800,
    paymentMethod: 'card',
    card: { bin: '401234', last4: '4242', issuerCountry: 'JP' },
    buyer: { name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: 'taro@example.co.jp', phone: '03-3210-1234', address: HOME, ip: '203.0.113.7' },
    items: [{ sku: 'SKU-1', name: '本', category: 'books', unitPrice: 5800, quantity: 1 }],
    ...patch,
  }
}

