// Delivery envelopes (fixed key order, ISO times) and which events an endpoint gets.
import t from 'tap'
import { digestEnvelope, eventEnvelope, eventQualifies, type EventType } from '../../../src/domain/webhooks/payload.js'

const created = new Date('2026-11-23T14:30:00.123Z')

t.test('eventEnvelope: { id, type, created, merchantId, data } in that order, created as ISO', async (t) => {
  const e = eventEnvelope({ id: 'evt_1', type: 'order.scored', created, merchantId: 'm1', data: { orderId: 'A-1', level: 'high' } })
  t.same(e, { id: 'evt_1', type: 'order.scored', created: '2026-11-23T14:30:00.123Z', merchantId: 'm1', data: { orderId: 'A-1', level: 'high' } })
  t.equal(JSON.stringify(e), '{"id":"evt_1","type":"order.scored","created":"2026-11-23T14:30:00.123Z","merchantId":"m1","data":{"orderId":"A-1","level":"high"}}')
})

t.test('digestEnvelope: type digest, its own id and time, the events as given', async (t) => {
  const a = eventEnvelope({ id: 'evt_1', type: 'order.scored', created, merchantId: 'm1', data: { level: 'elevated' } })
  const b = eventEnvelope({ id: 'evt_2', type: 'shipment.checked', created, merchantId: 'm1', data: { recommendation: 'hold' } })
  const events = [a, b]
  const d = digestEnvelope({ id: 'dlv_9', created: new Date('2026-11-23T22:00:00Z'), merchantId: 'm1', events })
  t.equal(JSON.stringify(d), `{"id":"dlv_9","type":"digest","created":"2026-11-23T22:00:00.000Z","merchantId":"m1","events":[${JSON.stringify(a)},${JSON.stringify(b)}]}`)
  events.push(a)
  t.equal(d.events.length, 2, 'a copy: later changes to the caller\'s array do not leak in')
  t.same(digestEnvelope({ id: 'dlv_0', created, merchantId: 'm1', events: [] }).events, [])
})

const elevated = { minLevel: 'elevated', mode: 'immediate' } as const
const high = { minLevel: 'high', mode: 'immediate' } as const
const highDigest = { minLevel: 'high', mode: 'digest' } as const

// [name, type, data, qualifies for minLevel elevated, for minLevel high]
const events: Array<[string, EventType, unknown, boolean, boolean]> = [
  // Seed 000 mails orders scoring 10+ (elevated); a high-only endpoint wants 50+.
  ['order low', 'order.scored', { level: 'low', score: 9 }, false, false],
  ['order elevated', 'order.scored', { level: 'elevated', score: 10 }, true, false],
  ['order high', 'order.scored', { level: 'high', score: 50 }, true, true],
  ['order without a level', 'order.scored', { score: 80 }, false, false],
  ['order with an unknown level', 'order.scored', { level: 'critical' }, false, false],
  ['order level from the prototype', 'order.scored', { level: 'toString' }, false, false],
  ['order with no data', 'order.scored', null, false, false],
  ['shipment proceed', 'shipment.checked', { recommendation: 'proceed', level: 'low' }, false, false],
  ['shipment review', 'shipment.checked', { recommendation: 'review', level: 'elevated' }, true, true],
  ['shipment hold', 'shipment.checked', { recommendation: 'hold', level: 'high' }, true, true],
  ['shipment without a recommendation', 'shipment.checked', {}, true, true],
  ['batch completed', 'batch.completed', { id: 'b1', status: 'completed' }, true, true],
  ['batch completed, no data', 'batch.completed', undefined, true, true],
  ['test', 'test', { message: 'hello' }, true, true],
  ['an unknown type (from the database)', 'order.refunded' as EventType, { level: 'high' }, false, false],
]
for (const [name, type, data, forElevated, forHigh] of events) {
  t.test(`eventQualifies: ${name}`, async (t) => {
    t.equal(eventQualifies(elevated, { type, data }), forElevated, 'minLevel elevated')
    t.equal(eventQualifies(high, { type, data }), forHigh, 'minLevel high')
    t.equal(eventQualifies(highDigest, { type, data }), forHigh, 'the mode does not change what qualifies')
  })
}
