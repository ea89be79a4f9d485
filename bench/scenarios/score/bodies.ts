// What the score load sends: a pool of order templates, most of them clean buyers, some hitting the
// fraud-address store, the fraud history, the blocklist or a drop point — each with the reason it
// should raise — and the generator that stamps a new orderId on every request, since a repeated
// orderId would be answered from the stored result (the cheap replay path), not scored.
import type { OrderInput } from '../../../src/domain/scoring/order.js'
import type { ReasonCode } from '../../../src/domain/scoring/reason.js'
import type { Places } from '../address/places.js'
import { query } from '../address/queries.js'
import { LISTED } from './blocklist.js'
import { buyerOf, dropPoint, isClean, person, ROLE, type Person } from './people.js'

export type Order = Omit<OrderInput, 'orderId'>
export type Template = { kind: string; expected: ReasonCode | null; order: Order }

// Out of every 100 templates.
const MIX: Array<[kind: string, expected: ReasonCode | null, share: number]> = [
  ['clean', null, 70],
  ['ship-to in the fraud-address store', 'FRAUD_ADDRESS_FULL', 5],
  ['a past fraudster again', 'FRAUD_HISTORY_MATCH', 4],
  ['a past fraudster\'s name, new details', 'FRAUD_HISTORY_SIMILAR', 3],
  ['blocklisted e-mail, phone, address or IP', 'BLOCKLIST_HIT', 4],
  ['ship-to a drop point', 'VELOCITY_SHIP_TO', 3],
  ['disposable e-mail', 'EMAIL_DISPOSABLE', 3],
  ['reading of another name', 'KANA_MISMATCH', 3],
  ['cash on delivery', null, 3],
  ['landline far from the address', 'PHONE_REGION_MISMATCH', 2],
]
export const DROP_POINTS = 20

const ITEMS: Array<[name: string, category: string, price: number]> = [
  ['ミネラルウォーター 2L×6本', 'food', 980], ['コーヒー豆 500g', 'food', 1980], ['Tシャツ', 'apparel', 2900],
  ['タオルセット', 'home', 3300], ['文庫本', 'books', 880], ['スニーカー', 'shoes', 8900],
  ['ワイヤレスイヤホン', 'audio', 12_800], ['電気ケトル', 'kitchen', 4980], ['ゲーム機 本体', 'game', 49_980],
  ['腕時計', 'watch', 38_000],
]
const BINS = ['453201', '540011', '355000', '401200', '520000', '356600']
const METHODS: Array<Order['paymentMethod']> = ['card', 'card', 'card', 'card', 'card', 'card', 'bank_transfer', 'convenience_store', 'carrier', 'deferred']
const TOKYO_AREA = new Set(['東京都', '神奈川県', '埼玉県', '千葉県', '山梨県'])

/** The n-th clean buyer at or after `from` among `people`. */
function cleanPerson (places: Places, people: number, from: number): Person {
  let n = from % people
  while (!isClean(n)) n = (n + 1) % people
  return person(places, n)
}

/** The k-th past fraudster among the `people` seeded buyers (they have orders on file). */
const fraudster = (places: Places, people: number, k: number) => person(places, 100 * (k % Math.floor(people / 100)) + ROLE.fraudster)
/** The k-th buyer of a blocklisted role, as blocklist.ts lists them (seeded orders or not). */
const listed = (places: Places, role: number, k: number) => person(places, 100 * k + role)

/** An ordinary order by `p`: one or two items, paid as the template number says. */
export function orderBy (p: Person, t: number, ip = `203.0.113.${t % 250}`): Order {
  const items = [ITEMS[t % 8]!, ...(t % 3 === 0 ? [ITEMS[(t * 7) % ITEMS.length]!] : [])]
    .map(([name, category, unitPrice], i) => ({ name, category, unitPrice, quantity: 1 + ((t + i) % 2) }))
  const paymentMethod = METHODS[t % METHODS.length]!
  return {
    amount: items.reduce((s, i) => s + i.unitPrice * i.quantity, 0),
    currency: 'JPY',
    paymentMethod,
    ...(paymentMethod === 'card'
      ? { card: { bin: BINS[t % BINS.length]!, last4: String(1000 + (t * 37) % 9000), issuerCountry: 'JP', threeDSecure: t % 2 === 0 ? 'authenticated' as const : 'not_performed' as const } }
      : {}),
    buyer: buyerOf(p, ip),
    items,
  }
}

function template (places: Places, stored: number, people: number, t: number): Template {
  let slot = t % 100
  const [kind, expected] = MIX.find(([, , share]) => (slot -= share) < 0)!
  const k = Math.floor(t / 100) * 7 + (t % 7)
  const clean = cleanPerson(places, people, t * 7919 + 13)
  const base = orderBy(clean, t)
  switch (kind) {
    case 'clean':
      // Every fifth a gift: shipped to another buyer's home.
      if (t % 5 !== 4) return { kind, expected, order: base }
      return { kind, expected, order: { ...base, shipTo: (({ name, phone, address }) => ({ name, phone, address }))(cleanPerson(places, people, t * 31 + 5)) } }
    case 'ship-to in the fraud-address store': {
      const b = 20 * t + (t % 7) // slots 0-6 of the address scenario's mix: full matches, block written another way
      return { kind, expected, order: { ...base, shipTo: { name: clean.name, address: query(places, stored, b).address } } }
    }
    case 'a past fraudster again':
      return { kind, expected, order: orderBy(fraudster(places, people, k), t) }
    case 'a past fraudster\'s name, new details': {
      const f = fraudster(places, people, k)
      return { kind, expected, order: { ...base, buyer: { ...base.buyer, name: f.name, nameKana: f.kana } } }
    }
    case 'blocklisted e-mail, phone, address or IP': {
      const which = t % 4
      if (which === 3) return { kind, expected, order: orderBy(clean, t, `198.18.${k % LISTED.ip}.${1 + (t % 250)}`) }
      const role = [ROLE.listedEmail, ROLE.listedPhone, ROLE.listedAddress][which]!
      const limit = [LISTED.email, LISTED.phone, LISTED.address][which]!
      return { kind, expected, order: orderBy(listed(places, role, k % limit), t) }
    }
    case 'ship-to a drop point':
      return { kind, expected, order: { ...base, shipTo: { name: clean.name, address: dropPoint(places, t % DROP_POINTS) } } }
    case 'disposable e-mail':
      return { kind, expected, order: { ...base, buyer: { ...base.buyer, email: `shop${t}.${clean.n}@mailinator.com` } } }
    case 'reading of another name': {
      const other = person(places, clean.n + 1) // the next surname in the list
      return { kind, expected, order: { ...base, buyer: { ...base.buyer, nameKana: other.kana } } }
    }
    case 'cash on delivery': {
      const { card: _card, ...rest } = base
      return { kind, expected, order: { ...rest, paymentMethod: 'cod' } }
    }
    default: { // landline far from the address: 03 (Tokyo) unless the buyer lives around Tokyo, then 06 (Osaka)
      const area = TOKYO_AREA.has(clean.address.prefecture) ? '06-6' : '03-3'
      return { kind, expected, order: { ...base, buyer: { ...base.buyer, phone: `${area}${String(100 + (t % 900))}-${String(1000 + (t * 7) % 9000)}` } } }
    }
  }
}

/** `count` templates against a store of `stored` fraud addresses and `people` seeded buyers. */
export function templates (places: Places, stored: number, people: number, count: number): Template[] {
  return Array.from({ length: count }, (_, t) => template(places, stored, people, t))
}

export function describeMix (): string {
  return MIX.map(([kind, , share]) => `${share} % ${kind}`).join(', ')
}

/**
 * makeBody for the load: request n sends template n mod count with orderId `<prefix>-<n>`. The
 * templates are encoded once; only the orderId is put in per request.
 */
export function stampOrderIds (list: readonly Template[], prefix: string): (n: number) => string {
  const MARK = '\u0000'
  const encoded = list.map((t) => JSON.stringify({ orderId: MARK, ...t.order }).split(JSON.stringify(MARK)))
  return (n) => {
    const [head, tail] = encoded[n % encoded.length]!
    return `${head}"${prefix}-${n}"${tail}`
  }
}

/**
 * The warm-up order: every field a dictionary is read for — an e-mail (the disposable-domain
 * list), a fixed-line phone (the area-code table), a reading (the name-readings table) and a
 * postal code (Japan Post's table, also the normalizer's vocabulary).
 */
export function warmupOrder (orderId: string): OrderInput {
  return {
    orderId,
    amount: 5980,
    paymentMethod: 'card',
    card: { bin: '453201', last4: '4242', issuerCountry: 'JP', threeDSecure: 'authenticated' },
    buyer: {
      name: '山田 太郎', nameKana: 'ヤマダ タロウ', email: 'taro.yamada@example.jp', phone: '03-3464-1234',
      address: { postalCode: '150-0043', prefecture: '東京都', city: '渋谷区', town: '道玄坂', block: '1-2-3', room: '101' },
      ip: '203.0.113.10',
    },
    items: [{ name: 'コーヒー豆 500g', category: 'food', unitPrice: 2990, quantity: 2 }],
  }
}
