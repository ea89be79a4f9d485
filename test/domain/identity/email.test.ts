// E-mail keys: provider aliases folded only where the provider delivers them to one mailbox;
// near-identical local parts for similar (類似) history.
import t from 'tap'
import { canonicalEmail, emailDomain, nearIdenticalLocalParts } from '../../../src/domain/identity/email.js'

// [typed, canonical]
const canonical: Array<[string, string | null]> = [
  // Gmail: dots and +tags are ignored; googlemail.com is gmail.com.
  ['taro.yamada@gmail.com', 'taroyamada@gmail.com'],
  ['Taro.Yamada+shop@Gmail.com', 'taroyamada@gmail.com'],
  ['t.a.r.o.y.a.m.a.d.a+a+b@gmail.com', 'taroyamada@gmail.com'],
  ['taro.yamada@googlemail.com', 'taroyamada@gmail.com'],
  ['taroyamada+x@GoogleMail.com', 'taroyamada@gmail.com'],
  // Microsoft: +tag ignored, dots kept.
  ['taro.yamada+shop@outlook.com', 'taro.yamada@outlook.com'],
  ['taro.yamada+shop@hotmail.co.jp', 'taro.yamada@hotmail.co.jp'],
  ['taro+1@live.jp', 'taro@live.jp'],
  ['taro+1@msn.com', 'taro@msn.com'],
  ['taro+1@outlook.jp', 'taro@outlook.jp'],
  // Apple, Fastmail, Proton: +tag ignored, dots kept, domains not merged.
  ['taro.y+a@icloud.com', 'taro.y@icloud.com'],
  ['taro.y+a@me.com', 'taro.y@me.com'],
  ['taro+a@mac.com', 'taro@mac.com'],
  ['taro.y+a@fastmail.com', 'taro.y@fastmail.com'],
  ['taro.y+a@proton.me', 'taro.y@proton.me'],
  ['taro+a@protonmail.com', 'taro@protonmail.com'],
  ['taro+a@pm.me', 'taro@pm.me'],
  // Yahoo (US) disposable addresses base-keyword; '+' is no tag at Yahoo.
  ['tarobase-amazon@yahoo.com', 'tarobase@yahoo.com'],
  ['taro.yamada@yahoo.com', 'taro.yamada@yahoo.com'],
  ['taro+x@yahoo.com', 'taro+x@yahoo.com'],
  // Yahoo! JAPAN is another company: untouched.
  ['taro.yamada@yahoo.co.jp', 'taro.yamada@yahoo.co.jp'],
  ['taro-yamada+x@yahoo.co.jp', 'taro-yamada+x@yahoo.co.jp'],
  // Carrier mail keeps its legal doubled and trailing dots.
  ['taro..yamada.@docomo.ne.jp', 'taro..yamada.@docomo.ne.jp'],
  ['Taro..Yamada@EZweb.ne.jp', 'taro..yamada@ezweb.ne.jp'],
  // Other domains: as typed, lower-cased; a company may route taro+x elsewhere.
  ['Taro.Yamada+shop@Example.CO.JP', 'taro.yamada+shop@example.co.jp'],
  ['taro.yamada@gmail.co.jp', 'taro.yamada@gmail.co.jp'],
  ['taro@mail.gmail.com', 'taro@mail.gmail.com'],
  // Width and spaces around.
  ['  ｔａｒｏ．ｙａｍａｄａ＠ｇｍａｉｌ．ｃｏｍ  ', 'taroyamada@gmail.com'],
  // A tag needs a name before it: never '@gmail.com', which reads as a whole domain.
  ['+shop@gmail.com', '+shop@gmail.com'],
  ['-x@yahoo.com', '-x@yahoo.com'],
  // Not addresses.
  ['', null], ['taro', null], ['taro@gmail', null], ['@gmail.com', null], ['taro@', null],
  ['taro..yamada@gmail.com', null], ['ta ro@gmail.com', null], ['山田@gmail.com', null], ['a@b@gmail.com', null],
]

for (const [typed, expected] of canonical) {
  t.test(`canonicalEmail ${JSON.stringify(typed)}`, async (t) => {
    t.equal(canonicalEmail(typed), expected)
  })
}

t.test('emailDomain', async (t) => {
  t.equal(emailDomain('taroyamada@gmail.com'), 'gmail.com')
  t.equal(emailDomain('taro..yamada.@docomo.ne.jp'), 'docomo.ne.jp')
  t.equal(emailDomain('@example.com'), 'example.com')
})

// [a, b, near-identical] — both canonical; the relation is symmetric, checked both ways.
const near: Array<[string, string, boolean]> = [
  // Equal once digits and separators go.
  ['taro.yamada1@yahoo.co.jp', 'taroyamada22@yahoo.co.jp', true],
  ['taro_yamada@example.com', 'taro-yamada1990@example.com', true],
  ['hanako@gmail.com', 'hanako@yahoo.co.jp', true],
  ['hanako2024@gmail.com', 'hanako@outlook.com', true],
  // One edit from 6 characters on: substitution, insertion, deletion, adjacent swap.
  ['yamada@gmail.com', 'yanada@gmail.com', true],
  ['yamada@gmail.com', 'yamadaa@gmail.com', true],
  ['taroyamada@gmail.com', 'taroymada@gmail.com', true],
  ['yamada@gmail.com', 'yaamda@gmail.com', true],
  ['09012345678@docomo.ne.jp', '09012345679@docomo.ne.jp', true],
  // Two edits only from 12 characters on.
  ['yamadataro88x@gmail.com', 'yamadatoro88y@gmail.com', true],
  ['yamadat@gmail.com', 'yanadatt@gmail.com', false],
  ['yamadataro@gmail.com', 'yamadatoro1x@gmail.com', false],
  // Under 6 characters (either side), an edit is a different person; under 4, nothing is similar.
  ['yamada@gmail.com', 'yamda@gmail.com', false],
  ['taro@gmail.com', 'tar0@gmail.com', false],
  ['suzuki@gmail.com', 'sazaki@gmail.com', false],
  ['abc@gmail.com', 'abc@yahoo.co.jp', false],
  ['ab1@gmail.com', 'ab22@gmail.com', false],
  // The core left without digits must itself be a name.
  ['ab12@gmail.com', 'ab99@gmail.com', false],
  ['a.b.c1@example.com', 'abc2@example.com', false],
  // Identical is an exact match, not a similar one.
  ['taroyamada@gmail.com', 'taroyamada@gmail.com', false],
  // Unrelated.
  ['taroyamada@gmail.com', 'hanakosato@gmail.com', false],
  ['yamada.taro@gmail.com', 'taro.yamada@gmail.com', false],
]

for (const [a, b, expected] of near) {
  t.test(`nearIdenticalLocalParts ${a} ~ ${b}`, async (t) => {
    t.equal(nearIdenticalLocalParts(a, b), expected, 'a, b')
    t.equal(nearIdenticalLocalParts(b, a), expected, 'b, a')
  })
}
