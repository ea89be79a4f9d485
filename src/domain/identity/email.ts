// A buyer's e-mail address as one key per mailbox (for the blocklist and exact history matches),
// and the "similar address" test (類似) for history: the same person a digit or a typo away.
import { emailProblem } from '../scoring/signals/email.js'

type Rule = { dots: boolean; tag: '+' | '-'; domain?: string }

// Only what each provider documents as delivering to the same mailbox; every other domain is
// kept as typed, since a company server may well treat taro+x and taro as two people.
const PROVIDERS = new Map<string, Rule>([
  // Gmail ignores dots and a +tag; googlemail.com is the same mailbox under its old name.
  ['gmail.com', { dots: true, tag: '+' }],
  ['googlemail.com', { dots: true, tag: '+', domain: 'gmail.com' }],
  // Microsoft, Apple, Fastmail and Proton deliver a +tag to the base address; dots matter.
  ...['outlook.com', 'outlook.jp', 'hotmail.com', 'hotmail.co.jp', 'live.com', 'live.jp', 'msn.com',
    'icloud.com', 'me.com', 'mac.com', 'fastmail.com', 'proton.me', 'protonmail.com', 'pm.me',
  ].map((d): [string, Rule] => [d, { dots: false, tag: '+' }]),
  // Yahoo (US) disposable addresses are base-keyword@yahoo.com; a Yahoo ID cannot contain '-', so
  // the part before it names the owner (their base name — a key, not a mailbox one can write to).
  // Yahoo has no plus addressing, so '+' is kept. Yahoo! JAPAN (yahoo.co.jp) is another company
  // with its own rules: kept as typed.
  ['yahoo.com', { dots: false, tag: '-' }],
])

/** The mailbox key: NFKC, trimmed, lower-cased, provider aliases folded; null if no address. */
export function canonicalEmail(email: string): string | null {
  if (emailProblem(email) !== null) return null
  const text = email.normalize('NFKC').trim().toLowerCase()
  const at = text.lastIndexOf('@')
  let local = text.slice(0, at)
  const domain = text.slice(at + 1)
  const rule = PROVIDERS.get(domain)
  if (rule === undefined) return text
  // A tag needs a mailbox name before it: '+shop@gmail.com' stays as typed, never '@gmail.com'.
  const cut = local.indexOf(rule.tag)
  if (cut > 0) local = local.slice(0, cut)
  if (rule.dots) local = local.replace(/\./g, '')
  return `${local}@${rule.domain ?? domain}`
}

/** The domain of a canonical address (or of a '@domain' blocklist entry). */
export function emailDomain(canonical: string): string {
  return canonical.slice(canonical.lastIndexOf('@') + 1)
}

const localPart = (canonical: string): string => canonical.slice(0, canonical.lastIndexOf('@'))
// What people vary between throwaway accounts: numbers and the separators around them.
const NOISE = /[0-9._+-]/g

/**
 * Two canonical addresses (any domains) whose local parts are near-identical: equal without
 * digits and separators (taro.yamada1 / taroyamada22), or one edit apart from 6 characters on,
 * two from 12. Identical addresses are an exact match, not a similar one: false.
 */
export function nearIdenticalLocalParts(a: string, b: string): boolean {
  if (a === b) return false
  const [la, lb] = [localPart(a), localPart(b)]
  const shorter = Math.min(la.length, lb.length)
  // Under 4 characters (a@, jp@, info@ is 4) too many strangers share a name.
  if (shorter < 4) return false
  // The core left after stripping must itself be a name: ab12 and ab99 share only "ab".
  const [ca, cb] = [la.replace(NOISE, ''), lb.replace(NOISE, '')]
  if (ca.length >= 4 && ca === cb) return true
  if (shorter < 6) return false
  return damerauLevenshtein(la, lb, shorter >= 12 ? 2 : 1) <= (shorter >= 12 ? 2 : 1)
}

/**
 * Edit distance counting an adjacent swap as one edit (optimal string alignment), stopping early
 * once every cell of a row exceeds max: the caller only asks "within max?".
 */
function damerauLevenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev2: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1)
      row.push(d)
      best = Math.min(best, d)
    }
    if (best > max) return max + 1
    prev2 = prev
    prev = row
  }
  return prev[b.length]!
}
