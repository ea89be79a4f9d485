// RESALE_PRONE_ITEMS: goods easily resold for cash (転売しやすい商品 — seed 002 §4: ブランド品、
// ジュエリー、デジタルカメラ、PC、TV、衣類、高級食品、ゲーム機器、時計、高級化粧品、電動工具、楽器、釣具、カーナビ).
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'
import { foldTerm } from './place-vocabulary.js'

/** The documented `items[].category` values (the order schema's list) that are easily resold. */
export const RESALE_PRONE_CATEGORIES = new Set([
  'brand', 'jewelry', 'camera', 'pc', 'tv', 'game', 'watch', 'cosmetics', 'power_tool', 'instrument',
  'fishing', 'car_navigation', 'apparel', 'gourmet',
])

// Words in a category or item name. 衣類 and 高級食品 are too broad as words (a T-shirt, rice):
// they count only as the standard values apparel and gourmet.
const WORDS = [
  'ブランド', 'ルイヴィトン', 'ヴィトン', 'louis vuitton', 'シャネル', 'chanel', 'エルメス', 'hermes', 'グッチ', 'gucci',
  'プラダ', 'prada', 'ロレックス', 'rolex', 'ジュエリー', 'jewelry', 'jewellery', '宝石', 'ダイヤモンド', '指輪', 'ネックレス',
  'カメラ', 'camera', 'デジカメ', '一眼レフ', 'ミラーレス', 'dvdレコーダー', 'ブルーレイレコーダー', 'パソコン', 'ノートpc', 'macbook',
  'ipad', 'iphone', 'laptop', 'テレビ', '液晶tv', '有機elテレビ', 'ゲーム機', 'プレイステーション', 'playstation', 'ps5', 'ps4',
  'ニンテンドースイッチ', 'nintendo switch', 'xbox', '腕時計', '時計', 'スマートウォッチ', '化粧品', 'コスメ', '美容液',
  '電動工具', 'インパクトドライバー', 'マキタ', 'makita', '楽器', 'ギター', 'guitar', 'サックス', 'バイオリン', 'シンセサイザー',
  '釣具', '釣り具', 'リール', '釣竿', 'カーナビ', 'カーナビゲーション', 'car navigation',
].map(foldTerm)

// Short Latin words that are words only on their own: pc (not "pcs"), tv, watch, switch.
const LATIN_WORDS = /(?<![a-z])(?:pc|tv|watch|switch)(?![a-z])/

// Accessories name the product they fit: an iPhone case is not an iPhone.
const ACCESSORY = ['テレビ台', 'テレビボード', 'tv台', 'ケース', 'カバー', 'フィルム', '充電器', 'ケーブル', 'ストラップ', 'case', 'cover', 'film', 'charger', 'cable']
  .map(foldTerm)

/** Whether one item (its category or name) is resale-prone. */
export function isResaleProne(item: { name: string; category?: string }): boolean {
  const category = item.category?.trim().toLowerCase() ?? ''
  if (RESALE_PRONE_CATEGORIES.has(category)) return true
  return [item.category ?? '', item.name].some((text) => {
    // ノーブランド (unbranded) and プライベートブランド (store brand) say the opposite of brand goods.
    const folded = foldTerm(text).replace(/ノーブランド|プライベートブランド|no-?brand/g, '')
    if (ACCESSORY.some((a) => folded.includes(a))) return false
    return WORDS.some((w) => folded.includes(w)) || LATIN_WORDS.test(text.normalize('NFKC').toLowerCase())
  })
}

export const resaleProneItems = signal({
  code: 'RESALE_PRONE_ITEMS',
  weight: 8,
  judge: (ctx: SignalContext) => {
    const fields: string[] = []
    for (const [i, item] of (ctx.order.items ?? []).entries()) if (isResaleProne(item)) fields.push(`items[${i}]`)
    if (fields.length === 0) return null
    return {
      message: {
        ja: `転売されやすい商品が含まれています(${fields.length}点)`,
        en: `The order holds ${fields.length} resale-prone item${fields.length === 1 ? '' : 's'}`,
      },
      fields,
    }
  },
})
