// Webhook signatures: a known answer computed here independently, then tampering, a wrong
// secret, stale and future timestamps, rotation (two v1 values) and malformed headers.
import { createHmac } from 'node:crypto'
import t from 'tap'
import { generateSecret, signatureHeader, verifySignature } from '../../../src/domain/webhooks/signature.js'

const secret = 'whsec_test_0123456789abcdef'
const other = 'whsec_test_fedcba9876543210'
const body = '{"id":"evt_1","type":"order.scored","created":"2026-11-23T01:02:03.000Z","merchantId":"m1","data":{"level":"high"}}'
const at = new Date('2026-11-23T01:02:03.456Z') // 1795395723 s; the milliseconds are dropped
const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex')
const v1 = hmac(secret, `1795395723.${body}`)
const header = `t=1795395723,v1=${v1}`
const later = (seconds: number) => new Date((1795395723 + seconds) * 1000) // from the signed second

t.test('known answer: t is whole unix seconds, v1 the hex HMAC-SHA256 of "<t>.<body>"', async (t) => {
  t.equal(Math.floor(at.getTime() / 1000), 1795395723)
  t.equal(signatureHeader(secret, body, at), header)
  t.match(signatureHeader(secret, body, at), /^t=\d+,v1=[0-9a-f]{64}$/)
})

t.test('rotation: one v1 per secret, in the order given', async (t) => {
  t.equal(signatureHeader([secret, other], body, at), `t=1795395723,v1=${v1},v1=${hmac(other, `1795395723.${body}`)}`)
})

// [name, secret, body, header, now, tolerance, valid]
const cases: Array<[string, string, string, string, Date, number | undefined, boolean]> = [
  ['the header as signed', secret, body, header, at, undefined, true],
  ['tampered body', secret, body.replace('high', 'low'), header, at, undefined, false],
  ['body with a trailing newline', secret, body + '\n', header, at, undefined, false],
  ['wrong secret', other, body, header, at, undefined, false],
  ['secret without its whsec_ prefix', secret.slice(6), body, header, at, undefined, false],
  ['upper-case hex', secret, body, `t=1795395723,v1=${v1.toUpperCase()}`, at, undefined, true],
  ['spaces around the parts', secret, body, ` t=1795395723 , v1=${v1} `, at, undefined, true],
  ['v1 before t', secret, body, `v1=${v1},t=1795395723`, at, undefined, true],
  ['an unknown scheme beside v1 is skipped', secret, body, `t=1795395723,v0=abc,v2=x=y,v1=${v1}`, at, undefined, true],
  // Timestamps: 300 s either way by default.
  ['299 s old', secret, body, header, later(299), undefined, true],
  ['300.999 s old', secret, body, header, later(300.999), undefined, true],
  ['301 s old', secret, body, header, later(301), undefined, false],
  ['a day old (replay)', secret, body, header, later(86_400), undefined, false],
  ['300 s in the future (clock skew)', secret, body, header, later(-300), undefined, true],
  ['301 s in the future', secret, body, header, later(-301), undefined, false],
  ['tolerance 0, same second', secret, body, header, later(0.999), 0, true],
  ['tolerance 0, next second', secret, body, header, later(1), 0, false],
  ['tolerance widened to an hour', secret, body, header, later(3600), 3600, true],
  ['t changed to now, v1 kept', secret, body, `t=1795395999,v1=${v1}`, later(276), undefined, false],
  // Rotation: either secret's v1 passes.
  ['two v1, the first matches', secret, body, `${header},v1=${hmac(other, `1795395723.${body}`)}`, at, undefined, true],
  ['two v1, the second matches', secret, body, `t=1795395723,v1=${hmac(other, `1795395723.${body}`)},v1=${v1}`, at, undefined, true],
  ['two v1, neither matches', secret, body, `t=1795395723,v1=${'0'.repeat(64)},v1=${'f'.repeat(64)}`, at, undefined, false],
  ['signed with both, checked with the old secret', other, body, signatureHeader([secret, other], body, at), at, undefined, true],
  // Malformed headers are refused, never thrown on.
  ['empty header', secret, body, '', at, undefined, false],
  ['no t', secret, body, `v1=${v1}`, at, undefined, false],
  ['no v1', secret, body, 't=1795395723', at, undefined, false],
  ['two t', secret, body, `t=1795395723,t=1795395723,v1=${v1}`, at, undefined, false],
  ['t not a number', secret, body, `t=abc,v1=${v1}`, at, undefined, false],
  ['t negative', secret, body, `t=-1,v1=${v1}`, at, undefined, false],
  ['t in milliseconds', secret, body, `t=1795395723456,v1=${v1}`, at, undefined, false],
  ['v1 truncated', secret, body, `t=1795395723,v1=${v1.slice(0, 62)}`, at, undefined, false],
  ['v1 one character short (odd length)', secret, body, `t=1795395723,v1=${v1.slice(0, 63)}`, at, undefined, false],
  ['v1 with a non-hex character', secret, body, `t=1795395723,v1=${v1.slice(0, 63)}g`, at, undefined, false],
  ['v1 empty', secret, body, 't=1795395723,v1=', at, undefined, false],
  ['a part with no =', secret, body, `t=1795395723,v1=${v1},junk`, at, undefined, false],
]
for (const [name, s, b, h, now, tolerance, valid] of cases) {
  t.test(name, async (t) => {
    t.equal(verifySignature(s, b, h, now, tolerance), valid)
  })
}

t.test('a generated header verifies, and a multi-byte body signs as UTF-8', async (t) => {
  const jp = '{"data":{"name":"山田 太郎"}}'
  t.ok(verifySignature(secret, jp, signatureHeader(secret, jp, at), at))
  t.equal(signatureHeader(secret, jp, at), `t=1795395723,v1=${hmac(secret, `1795395723.${jp}`)}`)
})

t.test('generateSecret: whsec_ + 32 random bytes in base64url, different each time', async (t) => {
  const a = generateSecret()
  t.match(a, /^whsec_[A-Za-z0-9_-]{43}$/)
  t.equal(Buffer.from(a.slice(6), 'base64url').length, 32)
  t.not(a, generateSecret())
})
