// The buyers of the score scenario, deterministic by number: a Japanese name with its reading, an
// e-mail, a mobile number and a home in a real town (the address scenario's places) at a 番 the
// fraud-address store never holds — with the keys shinsa files an order under, computed by
// shinsa's own functions, so that the seeded past orders and the loaded ones meet.
import { orderContext } from '../../../src/routes/v1/order-context.js'
import { buyerKey, identifiers, shipToKey, type Identifier } from '../../../src/domain/scoring/identities.js'
import { canonicalEmail } from '../../../src/domain/identity/email.js'
import { nameKey } from '../../../src/domain/identity/name.js'
import type { OrderInput } from '../../../src/domain/scoring/order.js'
import type { Place, Places } from '../address/places.js'
import { BAN, blockText } from '../address/rows.js'

export type Address = { prefecture: string; city: string; town: string; block: string; room?: string; building?: string; postalCode?: string }
export type Person = { n: number; name: string; kana: string; email: string; phone: string; address: Address }

// [kanji, reading, romaji]. No old-form kanji: the name key folds them, which is shinsa's business.
const SURNAMES: Array<[string, string, string]> = [
  ['佐藤', 'サトウ', 'sato'], ['鈴木', 'スズキ', 'suzuki'], ['高橋', 'タカハシ', 'takahashi'], ['田中', 'タナカ', 'tanaka'],
  ['伊藤', 'イトウ', 'ito'], ['渡辺', 'ワタナベ', 'watanabe'], ['山本', 'ヤマモト', 'yamamoto'], ['中村', 'ナカムラ', 'nakamura'],
  ['小林', 'コバヤシ', 'kobayashi'], ['加藤', 'カトウ', 'kato'], ['吉田', 'ヨシダ', 'yoshida'], ['山田', 'ヤマダ', 'yamada'],
  ['佐々木', 'ササキ', 'sasaki'], ['山口', 'ヤマグチ', 'yamaguchi'], ['松本', 'マツモト', 'matsumoto'], ['井上', 'イノウエ', 'inoue'],
  ['木村', 'キムラ', 'kimura'], ['林', 'ハヤシ', 'hayashi'], ['清水', 'シミズ', 'shimizu'], ['山崎', 'ヤマザキ', 'yamazaki'],
  ['森', 'モリ', 'mori'], ['池田', 'イケダ', 'ikeda'], ['橋本', 'ハシモト', 'hashimoto'], ['阿部', 'アベ', 'abe'],
  ['石川', 'イシカワ', 'ishikawa'], ['山下', 'ヤマシタ', 'yamashita'], ['中島', 'ナカジマ', 'nakajima'], ['石井', 'イシイ', 'ishii'],
  ['小川', 'オガワ', 'ogawa'], ['前田', 'マエダ', 'maeda'], ['岡田', 'オカダ', 'okada'], ['長谷川', 'ハセガワ', 'hasegawa'],
  ['藤田', 'フジタ', 'fujita'], ['後藤', 'ゴトウ', 'goto'], ['近藤', 'コンドウ', 'kondo'], ['村上', 'ムラカミ', 'murakami'],
  ['遠藤', 'エンドウ', 'endo'], ['青木', 'アオキ', 'aoki'], ['坂本', 'サカモト', 'sakamoto'], ['福田', 'フクダ', 'fukuda'],
  ['太田', 'オオタ', 'ota'], ['西村', 'ニシムラ', 'nishimura'], ['藤井', 'フジイ', 'fujii'], ['金子', 'カネコ', 'kaneko'],
  ['岡本', 'オカモト', 'okamoto'], ['藤原', 'フジワラ', 'fujiwara'], ['中野', 'ナカノ', 'nakano'], ['三浦', 'ミウラ', 'miura'],
  ['原田', 'ハラダ', 'harada'], ['小野', 'オノ', 'ono'],
]
const GIVEN: Array<[string, string, string]> = [
  ['太郎', 'タロウ', 'taro'], ['一郎', 'イチロウ', 'ichiro'], ['健太', 'ケンタ', 'kenta'], ['翔太', 'ショウタ', 'shota'],
  ['大輔', 'ダイスケ', 'daisuke'], ['拓也', 'タクヤ', 'takuya'], ['直樹', 'ナオキ', 'naoki'], ['和也', 'カズヤ', 'kazuya'],
  ['誠', 'マコト', 'makoto'], ['亮', 'リョウ', 'ryo'], ['隆', 'タカシ', 'takashi'], ['浩', 'ヒロシ', 'hiroshi'],
  ['学', 'マナブ', 'manabu'], ['修', 'オサム', 'osamu'], ['剛', 'ツヨシ', 'tsuyoshi'], ['蓮', 'レン', 'ren'],
  ['悠真', 'ユウマ', 'yuma'], ['陽翔', 'ハルト', 'haruto'], ['湊', 'ミナト', 'minato'], ['花子', 'ハナコ', 'hanako'],
  ['恵子', 'ケイコ', 'keiko'], ['陽子', 'ヨウコ', 'yoko'], ['裕子', 'ユウコ', 'yuko'], ['美咲', 'ミサキ', 'misaki'],
  ['愛', 'アイ', 'ai'], ['彩', 'アヤ', 'aya'], ['結衣', 'ユイ', 'yui'], ['陽菜', 'ヒナ', 'hina'],
  ['さくら', 'サクラ', 'sakura'], ['真由美', 'マユミ', 'mayumi'], ['明美', 'アケミ', 'akemi'], ['直美', 'ナオミ', 'naomi'],
  ['由美子', 'ユミコ', 'yumiko'], ['智子', 'トモコ', 'tomoko'], ['久美子', 'クミコ', 'kumiko'], ['舞', 'マイ', 'mai'],
  ['葵', 'アオイ', 'aoi'], ['凛', 'リン', 'rin'], ['芽依', 'メイ', 'mei'], ['千尋', 'チヒロ', 'chihiro'],
]
// Fraudsters' given names are their own: a name shared by strangers would make half the clean
// orders resemble (類似) a past fraud order, and the load would not be "most clean".
const FRAUD_GIVEN: Array<[string, string, string]> = [
  ['勇気', 'ユウキ', 'yuki'], ['大和', 'ヤマト', 'yamato'], ['海斗', 'カイト', 'kaito'], ['颯太', 'ソウタ', 'sota'],
  ['奏', 'カナデ', 'kanade'], ['琴音', 'コトネ', 'kotone'], ['美月', 'ミヅキ', 'mizuki'], ['沙織', 'サオリ', 'saori'],
  ['優斗', 'ユウト', 'yuto'], ['樹', 'イツキ', 'itsuki'],
]
const DOMAINS = ['example.jp', 'gmail.com', 'yahoo.co.jp', 'docomo.ne.jp', 'icloud.com', 'ezweb.ne.jp', 'example.co.jp', 'outlook.jp']
const BUILDINGS = ['メゾン青葉', 'グランコート', 'サンハイツ', 'パレス桜', 'コーポ若葉']

/** What a person is, by n % 100: most are nobody in particular. */
export const ROLE = { fraudster: 7, listedEmail: 13, listedPhone: 29, listedAddress: 41 } as const
const SPECIAL = new Set<number>(Object.values(ROLE))
export const isFraudster = (n: number) => n % 100 === ROLE.fraudster
export const isClean = (n: number) => !SPECIAL.has(n % 100)

const digits8 = (n: number, salt: number) => String(10_000_000 + ((n * 7919 + salt) % 90_000_000))

/** A home at place, 番 above the fraud-address store's range; the block written three ways. */
export function homeAt (place: Place, ban: number, go: number, style: number, room: string | null): Address {
  const building = style % 4 === 1 ? BUILDINGS[style % BUILDINGS.length] : undefined
  return {
    prefecture: place.prefecture, city: place.city, town: place.town,
    block: blockText(place, ban, go, style),
    ...(room === null ? {} : { room: style % 2 === 0 ? room : `${room}号室` }),
    ...(building === undefined ? {} : { building }),
  }
}

export function person (places: Places, n: number): Person {
  // Mixed so that the people of one role (every 100th) still get every surname and given name.
  const [surname, surnameKana, surnameRomaji] = SURNAMES[(n + 3 * Math.floor(n / 100)) % SURNAMES.length]!
  const given = isFraudster(n) ? FRAUD_GIVEN : GIVEN
  const [first, firstKana, firstRomaji] = given[(Math.floor(n / SURNAMES.length) + Math.floor(n / 1000)) % given.length]!
  const local = [`${firstRomaji}.${surnameRomaji}${n}`, `${surnameRomaji}${n}${firstRomaji[0]}`, `${firstRomaji}_${n}`, `${firstRomaji[0]}${surnameRomaji}.${n}`][n % 4]!
  const d = digits8(n, 12_345)
  const place = places.stored[(n * 31) % places.stored.length]!
  const room = n % 3 === 0 ? `${1 + (n % 12)}0${1 + (n % 8)}` : null
  return {
    n,
    name: n % 5 === 0 ? `${surname}${first}` : `${surname}　${first}`,
    kana: n % 7 === 0 ? `${surnameKana}${firstKana}` : `${surnameKana} ${firstKana}`,
    email: `${local}@${DOMAINS[Math.floor(n / 7) % DOMAINS.length]}`,
    phone: `0${['90', '80', '70'][n % 3]}-${d.slice(0, 4)}-${d.slice(4)}`,
    address: homeAt(place, BAN + 1 + (n % 50), 1 + (Math.floor(n / 50) % 30), n, room),
  }
}

/** Places parcels of many buyers go to (a drop point): velocity by ship-to finds them. */
export function dropPoint (places: Places, d: number): Address {
  const place = places.stored[(d * 97 + 13) % places.stored.length]!
  return homeAt(place, BAN + 55, d + 1, 0, null)
}

export type Keys = {
  buyerKey: string; buyerEmail: string | null; buyerName: string | null
  shipToKey: string; shipToMatchKey: string | null; identities: Identifier[]
}

/** The keys POST /v1/orders/score files an order under (src/routes/v1/score-order.ts). */
export function keysOf (order: OrderInput): Keys {
  const ctx = orderContext(order)
  return {
    buyerKey: buyerKey(ctx),
    buyerEmail: canonicalEmail(order.buyer.email),
    buyerName: nameKey(order.buyer.name),
    shipToKey: shipToKey(ctx),
    shipToMatchKey: ctx.shipToAddress?.matchKey ?? null,
    identities: identifiers(ctx),
  }
}

/** The buyer part of an order body. */
export function buyerOf (p: Person, ip?: string): OrderInput['buyer'] {
  return { name: p.name, nameKana: p.kana, email: p.email, phone: p.phone, address: p.address, ...(ip === undefined ? {} : { ip }) }
}

/** The keys of a person ordering for themselves, for the seeded orders. */
export function personKeys (p: Person): Keys {
  return keysOf({ orderId: 'SEED', amount: 1000, paymentMethod: 'card', buyer: buyerOf(p) })
}

export const asLine = (a: Address) => `${a.prefecture}${a.city}${a.town}${a.block}${a.room === undefined ? '' : ` ${a.room}`}`
