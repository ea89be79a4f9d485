// Webhook endpoint URLs: https to public hosts; loopback (and plain http to it) only with
// SHINSA_ALLOW_LOOPBACK_WEBHOOKS; no private or reserved IP literals in any spelling (SSRF).
import t from 'tap'
import { MAX_URL_LENGTH, checkWebhookUrl, isLoopbackAddress, isPrivateAddress } from '../../../src/domain/webhooks/endpoint-url.js'

// [url, allowed without the setting (or the error), allowed with it (or the error)]; a string
// result is the normalized URL, a RegExp the error.
type Want = string | RegExp
const urls: Array<[string, Want, Want]> = [
  ['https://shop.example.jp/hooks/shinsa', 'https://shop.example.jp/hooks/shinsa', 'https://shop.example.jp/hooks/shinsa'],
  ['https://Shop.Example.JP:8443/a?b=c', 'https://shop.example.jp:8443/a?b=c', 'https://shop.example.jp:8443/a?b=c'],
  ['https://shop.example.jp:443/', 'https://shop.example.jp/', 'https://shop.example.jp/'],
  ['https://ショップ.jp/hook', 'https://xn--xckya1d0c.jp/hook', 'https://xn--xckya1d0c.jp/hook'],
  ['https://8.8.8.8/hook', 'https://8.8.8.8/hook', 'https://8.8.8.8/hook'],
  ['https://[2001:db8::1]/hook', 'https://[2001:db8::1]/hook', 'https://[2001:db8::1]/hook'],
  ['https://[::ffff:8.8.8.8]/', 'https://[::ffff:808:808]/', 'https://[::ffff:808:808]/'],
  // Plain http: refused except to loopback, with the setting.
  ['http://shop.example.jp/hook', /https/, /https/],
  ['http://8.8.8.8/hook', /https/, /https/],
  ['http://127.0.0.1:3000/hook', /loopback/, 'http://127.0.0.1:3000/hook'],
  ['http://127.1.2.3/hook', /loopback/, 'http://127.1.2.3/hook'],
  ['http://[::1]:3000/hook', /loopback/, 'http://[::1]:3000/hook'],
  ['http://localhost:3000/hook', /loopback/, 'http://localhost:3000/hook'],
  ['http://LOCALHOST./hook', /loopback/, 'http://localhost./hook'],
  ['http://app.localhost/hook', /loopback/, 'http://app.localhost/hook'],
  ['https://localhost/hook', /loopback/, 'https://localhost/hook'],
  ['https://127.0.0.1/hook', /loopback/, 'https://127.0.0.1/hook'],
  // Loopback in other spellings, normalized by the URL parser before the check.
  ['http://0x7f.1/', /loopback/, 'http://127.0.0.1/'],
  ['http://2130706433/', /loopback/, 'http://127.0.0.1/'],
  ['http://0177.0.0.1/', /loopback/, 'http://127.0.0.1/'],
  ['http://127.0.0.1./', /loopback/, 'http://127.0.0.1/'],
  ['http://[::ffff:127.0.0.1]/', /loopback/, 'http://[::ffff:7f00:1]/'],
  // Private, link-local and reserved literals: refused with or without the setting.
  ['https://10.0.0.1/', /private/, /private/],
  ['https://172.16.0.1/', /private/, /private/],
  ['https://172.31.255.255/', /private/, /private/],
  ['https://172.32.0.1/', 'https://172.32.0.1/', 'https://172.32.0.1/'],
  ['https://192.168.1.1/', /private/, /private/],
  ['https://169.254.169.254/latest/meta-data/', /private/, /private/],
  ['https://0.0.0.0/', /private/, /private/],
  ['https://0/', /private/, /private/],
  ['https://100.64.0.1/', /private/, /private/],
  ['https://224.0.0.1/', /private/, /private/],
  ['https://255.255.255.255/', /private/, /private/],
  ['https://[::]/', /private/, /private/],
  ['https://[fc00::1]/', /private/, /private/],
  ['https://[fd12:3456::1]/', /private/, /private/],
  ['https://[fe80::1]/', /private/, /private/],
  ['https://[::ffff:10.0.0.1]/', /private/, /private/],
  ['https://[::ffff:169.254.169.254]/', /private/, /private/],
  ['http://10.0.0.1/', /https/, /https/],
  // Names that only resolve inside a network.
  ['https://intranet/hook', /public host/, /public host/],
  ['https://printer.local/hook', /public host/, /public host/],
  ['https://metadata.google.internal/computeMetadata/v1/', /public host/, /public host/],
  // Credentials, fragments, other schemes, bad syntax.
  ['https://user:pass@shop.example.jp/', /user name or password/, /user name or password/],
  ['https://user@shop.example.jp/', /user name or password/, /user name or password/],
  ['https://:pass@shop.example.jp/', /user name or password/, /user name or password/],
  ['https://shop.example.jp/hook#frag', /fragment/, /fragment/],
  ['https://shop.example.jp/hook#', /fragment/, /fragment/],
  ['ftp://shop.example.jp/', /https/, /https/],
  ['file:///etc/passwd', /https/, /https/],
  ['gopher://127.0.0.1:6379/_FLUSHALL', /https/, /https/],
  ['javascript:alert(1)', /https/, /https/],
  ['data:text/plain,hi', /https/, /https/],
  ['ws://shop.example.jp/', /https/, /https/],
  ['shop.example.jp/hook', /valid/, /valid/],
  ['/hooks', /valid/, /valid/],
  ['', /valid/, /valid/],
  ['https://', /valid/, /valid/],
  ['https://[::1/', /valid/, /valid/],
  ['https://shop.example.jp:99999/', /valid/, /valid/],
  [' https://shop.example.jp/', /spaces/, /spaces/],
  ['https://shop.example.jp/a b', /spaces/, /spaces/],
  ['https://shop.exa\tmple.jp/', /spaces/, /spaces/],
  ['https://shop.example.jp/\n', /spaces/, /spaces/],
]
for (const [text, strict, loose] of urls) {
  t.test(`checkWebhookUrl ${JSON.stringify(text)}`, async (t) => {
    for (const [allow, want] of [[false, strict], [true, loose]] as const) {
      const got = checkWebhookUrl(text, allow)
      if (typeof want === 'string') t.same(got, { url: want }, `allowLoopbackHttp=${allow}`)
      else t.match(got, { error: want }, `allowLoopbackHttp=${allow}`)
    }
  })
}

t.test(`checkWebhookUrl: at most ${MAX_URL_LENGTH} characters`, async (t) => {
  const base = 'https://shop.example.jp/'
  const fits = base + 'a'.repeat(MAX_URL_LENGTH - base.length)
  t.same(checkWebhookUrl(fits, false), { url: fits })
  t.match(checkWebhookUrl(fits + 'a', false), { error: /2048/ })
})

// [address, private, loopback] — as dns.lookup or a socket would report it.
const addresses: Array<[string, boolean, boolean]> = [
  ['8.8.8.8', false, false], ['1.1.1.1', false, false], ['203.0.113.5', false, false],
  ['9.255.255.255', false, false], ['11.0.0.0', false, false], ['172.15.255.255', false, false], ['172.32.0.0', false, false],
  ['192.167.255.255', false, false], ['192.169.0.0', false, false], ['169.253.255.255', false, false], ['100.128.0.0', false, false],
  ['10.0.0.0', true, false], ['10.255.255.255', true, false], ['172.16.0.0', true, false], ['172.31.255.255', true, false],
  ['192.168.0.0', true, false], ['192.168.255.255', true, false], ['169.254.0.1', true, false], ['169.254.169.254', true, false],
  ['0.0.0.0', true, false], ['0.1.2.3', true, false], ['100.64.0.0', true, false], ['100.127.255.255', true, false],
  ['127.0.0.1', true, true], ['127.255.255.254', true, true], ['224.0.0.251', true, false], ['255.255.255.255', true, false],
  ['::1', true, true], ['[::1]', true, true], ['::', true, false], ['0:0:0:0:0:0:0:1', true, true],
  ['fc00::', true, false], ['fdff:ffff::1', true, false], ['fe80::1', true, false], ['fe80::1%eth0', true, false],
  ['febf::1', true, false], ['fec0::1', false, false], ['ff02::1', true, false],
  ['::ffff:127.0.0.1', true, true], ['::ffff:7f00:1', true, true], ['::ffff:10.1.2.3', true, false], ['::ffff:8.8.8.8', false, false],
  ['2001:4860:4860::8888', false, false], ['2404:6800::1', false, false], ['fbff::1', false, false],
  // Not an address at all.
  ['localhost', false, false], ['shop.example.jp', false, false], ['', false, false], ['127.1', false, false], ['999.0.0.1', false, false],
]
for (const [ip, priv, loop] of addresses) {
  t.test(`isPrivateAddress ${JSON.stringify(ip)}`, async (t) => {
    t.equal(isPrivateAddress(ip), priv, 'private')
    t.equal(isLoopbackAddress(ip), loop, 'loopback')
  })
}
