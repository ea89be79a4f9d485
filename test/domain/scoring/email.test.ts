// E-mail signals: invalid, disposable, free mail; carrier mail is neither.
import t from 'tap'
import type { SignalContext } from '../../../src/domain/scoring/order.js'
import { fire } from '../../../src/domain/scoring/signal.js'
import { emailDisposable, emailFreeDomain, emailInvalid } from '../../../src/domain/scoring/signals/email.js'

const ctx = (email: string): SignalContext => ({
  order: { orderId: 'o1', amount: 1000, paymentMethod: 'card', buyer: { name: '山田太郎', email, address: { line: '東京都渋谷区道玄坂1-2-3' } } },
  buyerAddress: null,
  shipToAddress: null,
})

// [email, invalid, disposable, free]
const cases: Array<[string, boolean, boolean, boolean]> = [
  // Seed 002 目視チェック 3 and 6: free mail, an unusual domain, an address plainly wrong.
  ['taro@gmail.com', false, false, true],
  ['taro@yahoo.co.jp', false, false, true],
  ['taro@mailinator.com', false, true, false],
  ['taro@gmail', true, false, false],
  ['taro.gmail.com', true, false, false],
  // Carrier mail is tied to a phone contract: not free mail; old docomo/au local parts break RFC dots.
  ['taro@docomo.ne.jp', false, false, false],
  ['taro..yamada.@docomo.ne.jp', false, false, false],
  ['taro@ezweb.ne.jp', false, false, false],
  ['taro@au.com', false, false, false],
  ['taro@softbank.ne.jp', false, false, false],
  ['taro@i.softbank.jp', false, false, false],
  // Company and ISP mail.
  ['yamada@example.co.jp', false, false, false],
  ['Taro.Yamada+shop@Example.CO.JP', false, false, false],
  // Width: a full-width address is read as typed half-width.
  ['ｔａｒｏ＠ｇｍａｉｌ．ｃｏｍ', false, false, true],
  // Free mail abroad.
  ['a@hotmail.com', false, false, true], ['a@outlook.jp', false, false, true], ['a@icloud.com', false, false, true],
  ['a@mail.ru', false, false, true], ['a@protonmail.com', false, false, true], ['a@yandex.ru', false, false, true],
  // Disposable, also through a subdomain of a listed domain.
  ['x@sub.mailinator.com', false, true, false],
  ['x@guerrillamail.com', false, true, false],
  // Syntax.
  ['', true, false, false], ['@gmail.com', true, false, false], ['taro@', true, false, false],
  ['ta ro@gmail.com', true, false, false], ['taro..yamada@gmail.com', true, false, false],
  ['.taro@gmail.com', true, false, false], ['taro.@gmail.com', true, false, false],
  ['taro@gmail..com', true, false, false], ['taro@-gmail.com', true, false, false],
  ['taro@gmail.c0m', true, false, false], ['taro@@gmail.com', true, false, false], ['山田@gmail.com', true, false, false],
]

for (const [email, invalid, disposable, free] of cases) {
  t.test(JSON.stringify(email), async (t) => {
    t.equal(fire(emailInvalid, ctx(email))?.code ?? null, invalid ? 'EMAIL_INVALID' : null, 'invalid')
    t.equal(fire(emailDisposable, ctx(email))?.code ?? null, disposable ? 'EMAIL_DISPOSABLE' : null, 'disposable')
    t.equal(fire(emailFreeDomain, ctx(email))?.code ?? null, free ? 'EMAIL_FREE_DOMAIN' : null, 'free')
  })
}

t.test('a reason carries the ruleset weight, both languages and the field', async (t) => {
  t.match(fire(emailFreeDomain, ctx('a@gmail.com')), { code: 'EMAIL_FREE_DOMAIN', weight: 3, message: { ja: /フリーメール/, en: /gmail\.com/ }, fields: ['buyer.email'] })
  t.match(fire(emailDisposable, ctx('a@mailinator.com')), { weight: 20, fields: ['buyer.email'] })
  t.match(fire(emailInvalid, ctx('a@b')), { weight: 15, message: { en: /no dot/ } })
})
