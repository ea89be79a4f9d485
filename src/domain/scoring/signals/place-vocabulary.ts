// The words of seed 002 §4 (不正注文のお届け先に悪用されやすい場所: risky delivery places), and the
// folding that lets one spelling find them all (ｳｨｰｸﾘｰ = ウィークリー = ウイークリー = うぃーくりー).

/** NFKC (width), lower case, hiragana → katakana, small kana → large, no spaces. */
export function foldTerm(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/[ァィゥェォャュョッヮ]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 1))
    .replace(/[\s　]+/g, '')
}

// Strong words name the place themselves; they are searched everywhere in the ship-to, the
// town and the whole address line included. Weak words could sit in an ordinary place name
// and are searched only in the building, room and name (建物名・部屋番号・宛名).
export type Terms = { strong: string[]; weak: string[] }

/** 海外転送サービスの指定住所 (倉庫): overseas forwarding warehouses. */
export const FORWARDING: Terms = {
  strong: ['転送センター', '転送サービス', '海外転送', '転送倉庫', 'forwarding', 'forwarder', 'freight forward'],
  weak: ['転送', '倉庫', 'warehouse', 'ship to japan', 'tenso'],
}

/** 郵便局留、運送会社営業所留、宅配ロッカー・宅配ボックス: held for pick-up. */
export const PICKUP_OR_HOLD: Terms = {
  strong: [
    '郵便局留', '郵便局止', '局留め', '局留', '局止め', '営業所留', '営業所止', 'センター留', 'センター止',
    '支店留', '支店止', '止め置き', '留め置き', '留置き', '止置き', '宅配ロッカー', '宅配ボックス', '宅配box',
    'はこぽす', 'pudo', 'amazon hub', 'アマゾンハブ', 'amazonロッカー', 'アマゾンロッカー', 'コンビニ受取', 'コンビニ受け取り',
  ],
  weak: ['ロッカー', 'locker', '店頭受取', '店頭受け取り'],
}

/** 〜気付 and c/o; 〜方 is a pattern of its own (see care-of-address.ts). */
export const CARE_OF: Terms = {
  strong: ['気付', 'c/o', 'care of'],
  weak: ['様方', 'さま方'],
}

/** ウィークリーマンション、レンタルオフィス・貸しスタジオ、私設私書箱、ネットカフェ、民泊・ホテル. */
export const SHORT_STAY: Terms = {
  strong: [
    'ウィークリーマンション', 'マンスリーマンション', 'レンタルオフィス', 'バーチャルオフィス', 'シェアオフィス',
    '貸しスタジオ', '貸スタジオ', 'レンタルスタジオ', '私書箱', 'p.o.box', 'pobox', 'ネットカフェ', 'インターネットカフェ',
    'ネカフェ', '漫画喫茶', 'マンガ喫茶', 'まんが喫茶', '漫喫', '民泊', 'コワーキング', 'coworking',
  ],
  weak: [
    'ウィークリー', 'マンスリー', 'weekly', 'monthly', 'ホテル', 'hotel', '旅館', 'ゲストハウス', 'guesthouse',
    'ホステル', 'hostel', 'airbnb', 'mailbox', 'メールボックス',
  ],
}

/** The first term the text holds, or null; both sides folded alike. */
export function findTerm(text: string, terms: readonly string[]): string | null {
  const folded = foldTerm(text)
  for (const term of terms) if (folded.includes(foldTerm(term))) return term
  return null
}
