// A person's name (氏名) or its reading (フリガナ) as one key: 山田　太郎, 山田・太郎 and 山田太郎 are
// one name; やまだ, ヤマダ and ﾔﾏﾀﾞ one reading; 髙橋 and 高橋, 渡邊 and 渡辺 one surname.
import { toKatakana } from 'wanakana'
import { KANJI_VARIANTS } from '../address/kanji-variants.js'

// Spaces of any width, and the invisible characters that make two equal names look different.
const GAPS = /[\s\u200B-\u200D\u2060]/gu
// Middle dots between given and family name (・, and ･ which NFKC makes ・) and the Latin one.
const DOTS = /[・·]/g
// Hiragana runs only: wanakana's toKatakana would also turn Latin letters into kana (taro → タロ).
const HIRAGANA = /[\u3041-\u3096]+/g
// Old and variant kanji (the address table's, surnames share them), and ヶ, which names write
// also as ケ (一ヶ谷 = 一ケ谷). Not foldName's ガ/が→ケ and ノ/の/之→の: those are place-name
// particles (霞が関 = 霞ヶ関) and in a name would make ながい read ナケイ.
const VARIANTS = new Map<string, string>([...KANJI_VARIANTS, ['ヶ', 'ケ']])

function key(text: string): string | null {
  const joined = text.normalize('NFKC').replace(GAPS, '').replace(DOTS, '')
  const katakana = joined.replace(HIRAGANA, (run) => toKatakana(run))
  const folded = [...katakana].map((ch) => VARIANTS.get(ch) ?? ch).join('').toLowerCase()
  return folded === '' ? null : folded
}

/** 山田太郎 from '山田　太郎'; katakana for kana, Latin lower-cased; null when nothing is left. */
export function nameKey(name: string): string | null {
  return key(name)
}

/** The same key for a reading (フリガナ): やまだ たろう, ヤマダ・タロウ and ﾔﾏﾀﾞﾀﾛｳ are ヤマダタロウ. */
export function kanaKey(kana: string): string | null {
  return key(kana)
}
