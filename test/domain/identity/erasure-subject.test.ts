// Erasure subjects: the probes an order is found by, the blocklist values reported, the hashed
// text, and which part of a batch row is the person's.
import t from 'tap'
import { normalizeAddress } from '../../../src/domain/address/normalize.js'
import { batchRowMatch, blocklistValues, orderProbeGroups, subjectText, type ErasureSubject } from '../../../src/domain/identity/erasure-subject.js'

const home = normalizeAddress({ prefecture: '東京都', city: '千代田区', town: '丸の内', block: '1-1-1', room: '1001' })
const byName: ErasureSubject = { kind: 'name_address', name: '山田太郎', address: home }
const byEmail: ErasureSubject = { kind: 'email', email: 'taroyamada@gmail.com' }
const row = { email: null, prefecture: '東京都', city: '千代田区', town: '丸の内', block: '一丁目1番1号', room: '1001号室' }

t.test('order probes: name and one of the address keys', async (t) => {
  const groups = orderProbeGroups(byName)
  t.same(groups[0], [{ kind: 'name', value: '山田太郎' }])
  t.ok(groups[1]!.every((p) => p.kind === 'address') && groups[1]!.some((p) => p.value.includes('|')), 'every reading of the address, the room among them')
  t.same(orderProbeGroups(byEmail), [[{ kind: 'email', value: 'taroyamada@gmail.com' }]])
})

t.test('blocklist: the person\'s own values, never the whole building nor the domain', async (t) => {
  t.same(blocklistValues(byEmail), [{ type: 'email', normalized: 'taroyamada@gmail.com' }])
  const values = blocklistValues(byName)
  t.same(values[0], { type: 'name', normalized: '山田太郎' })
  t.ok(values.slice(1).every((v) => v.type === 'address' && v.normalized.includes('|')))
})

t.test('batch rows: the e-mail as orders fold it, the address however written', async (t) => {
  t.equal(batchRowMatch(byEmail, { ...row, email: 'Taro.Yamada+x@googlemail.com' }), 'email')
  t.equal(batchRowMatch(byEmail, { ...row, email: 'hanako@gmail.com' }), null)
  t.equal(batchRowMatch(byName, row), 'address')
  t.equal(batchRowMatch(byName, { ...row, room: '1002' }), null, 'another room is another household')
  t.equal(batchRowMatch(byName, { ...row, block: null }), null, 'an incomplete address is nobody')
  t.equal(batchRowMatch({ kind: 'phone', phone: '+819012345678' }, row), null, 'batch rows carry no phone')
})

t.test('the hashed text is the normalized identifier', async (t) => {
  t.equal(subjectText(byEmail), 'email:taroyamada@gmail.com')
  t.match(subjectText(byName), /^name_address:山田太郎\n.+\|/)
})
