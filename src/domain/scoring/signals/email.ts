// The buyer's e-mail address: unusable (EMAIL_INVALID), throwaway (EMAIL_DISPOSABLE) or free mail
// (EMAIL_FREE_DOMAIN) — seed 002 §3, 目視チェック 3 and 6.
import { createRequire } from 'node:module'
import type { SignalContext } from '../order.js'
import { signal } from '../signal.js'

const require = createRequire(import.meta.url)
let disposable: Set<string> | undefined
// 120 000 domains: loaded on first use, not at import time.
const disposableDomains = (): Set<string> =>
  (disposable ??= new Set((require('disposable-email-domains') as string[]).map((d) => d.toLowerCase())))

// Free mail anyone can open in a minute. Carrier mail (docomo.ne.jp, ezweb.ne.jp, au.com,
// softbank.ne.jp, i.softbank.jp) is not here: it comes with a phone contract, so it is identity.
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.co.jp', 'ymail.ne.jp', 'yahoo.com', 'yahoo.co.uk', 'ymail.com',
  'hotmail.com', 'hotmail.co.jp', 'outlook.com', 'outlook.jp', 'live.com', 'live.jp', 'msn.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com', 'aol.jp', 'gmx.com', 'gmx.net', 'gmx.de', 'yandex.com',
  'yandex.ru', 'mail.ru', 'protonmail.com', 'proton.me', 'pm.me', 'zoho.com', 'mail.com', 'excite.co.jp',
  'goo.jp', 'infoseek.jp', 'livedoor.com', 'nifty.com', 'qq.com', '163.com', '126.com', 'sina.com',
  'naver.com', 'hanmail.net', 'tutanota.com', 'fastmail.com',
])

// Old docomo and au addresses broke RFC 5322 (taro..yamada.@docomo.ne.jp) and still receive
// mail, so their local part is let off the dot rules.
const LEGACY_CARRIER_DOMAINS = new Set(['docomo.ne.jp', 'ezweb.ne.jp'])

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{2,59})$/u

/** The address as typed, width-normalized and trimmed; the domain lower-cased. */
function parse(email: string): { local: string; domain: string } | null {
  const text = email.normalize('NFKC').trim()
  const at = text.lastIndexOf('@')
  if (at <= 0 || at === text.length - 1) return null
  return { local: text.slice(0, at), domain: text.slice(at + 1).toLowerCase() }
}

/** Why the address cannot be delivered to, or null if it looks deliverable. */
export function emailProblem(email: string): string | null {
  const parts = parse(email)
  if (parts === null) return 'no local part, @ and domain'
  const { local, domain } = parts
  if (/\s/.test(local + domain)) return 'contains spaces'
  if (!LOCAL.test(local)) return 'the local part has characters an address cannot carry'
  if (!LEGACY_CARRIER_DOMAINS.has(domain) && (local.startsWith('.') || local.endsWith('.') || local.includes('..'))) {
    return 'the local part has a leading, trailing or doubled dot'
  }
  if (domain.length > 253) return 'the domain is too long'
  const labels = domain.split('.')
  if (labels.length < 2) return 'the domain has no dot'
  if (!labels.every((l) => LABEL.test(l))) return 'the domain has an empty or malformed label'
  if (!TLD.test(labels[labels.length - 1]!)) return 'the top-level domain is not a name'
  return null
}

/** The domain, or a parent of it, on the disposable list (x.mailinator.com is mailinator.com). */
export function isDisposableDomain(domain: string): boolean {
  const set = disposableDomains()
  const labels = domain.toLowerCase().split('.')
  for (let i = 0; i < labels.length - 1; i++) if (set.has(labels.slice(i).join('.'))) return true
  return false
}

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain.toLowerCase())
}

const FIELDS = ['buyer.email']

/** EMAIL_INVALID: the address cannot be a working mailbox (目視チェック 6). */
export const emailInvalid = signal({
  code: 'EMAIL_INVALID',
  weight: 15,
  judge: (ctx: SignalContext) => {
    const problem = emailProblem(ctx.order.buyer.email)
    if (problem === null) return null
    return { message: { ja: 'メールアドレスが正しくありません。', en: `The e-mail address is not valid: ${problem}.` }, fields: FIELDS }
  },
})

// The two domain signals judge only an address that parses: an invalid one already has its reason.
function domainOf(ctx: SignalContext): string | null {
  return emailProblem(ctx.order.buyer.email) === null ? parse(ctx.order.buyer.email)!.domain : null
}

/** EMAIL_DISPOSABLE: a throwaway mailbox (使い捨てメールアドレス). */
export const emailDisposable = signal({
  code: 'EMAIL_DISPOSABLE',
  weight: 20,
  judge: (ctx: SignalContext) => {
    const domain = domainOf(ctx)
    if (domain === null || !isDisposableDomain(domain)) return null
    return { message: { ja: `使い捨てメールアドレスのドメインです（${domain}）。`, en: `The e-mail domain is a disposable mail service (${domain}).` }, fields: FIELDS }
  },
})

/** EMAIL_FREE_DOMAIN: free mail (フリーメールアドレス, 目視チェック 3); common, so a small weight. */
export const emailFreeDomain = signal({
  code: 'EMAIL_FREE_DOMAIN',
  weight: 3,
  judge: (ctx: SignalContext) => {
    const domain = domainOf(ctx)
    if (domain === null || !isFreeMailDomain(domain) || isDisposableDomain(domain)) return null
    return { message: { ja: `フリーメールアドレスです（${domain}）。`, en: `The e-mail address is free mail (${domain}).` }, fields: FIELDS }
  },
})
