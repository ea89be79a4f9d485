// Digest slots in Asia/Tokyo: the edges of the 07:00–22:00 window (seed 000: hourly between 7:00
// and 22:00), the JST/UTC date change, month and year ends, other windows and window parsing.
import t from 'tap'
import { DEFAULT_WINDOW, checkWindow, digestSlot, isInsideWindow, parseWindow, type DigestWindow } from '../../../src/domain/webhooks/digest-window.js'

/** An instant written as JST wall-clock time. */
const jst = (local: string) => new Date(`${local}+09:00`)

// [name, event (JST), digest slot (JST)]
const slots: Array<[string, string, string]> = [
  // Seed 000: hourly between 7:00 and 22:00 — both ends are sending times.
  ['10:15 goes in the 11:00 digest', '2026-11-23T10:15:00', '2026-11-23T11:00:00'],
  ['06:59:59 goes at 07:00', '2026-11-23T06:59:59', '2026-11-23T07:00:00'],
  ['07:00:00 exactly: the 07:00 digest is going out, so 08:00', '2026-11-23T07:00:00', '2026-11-23T08:00:00'],
  ['07:00:01 goes at 08:00', '2026-11-23T07:00:01', '2026-11-23T08:00:00'],
  ['20:59:59.999 goes at 21:00', '2026-11-23T20:59:59.999', '2026-11-23T21:00:00'],
  ['21:00:00 goes at 22:00', '2026-11-23T21:00:00', '2026-11-23T22:00:00'],
  ['21:59:59 goes at 22:00, the last digest', '2026-11-23T21:59:59', '2026-11-23T22:00:00'],
  ['21:59:59.999 goes at 22:00', '2026-11-23T21:59:59.999', '2026-11-23T22:00:00'],
  ['22:00:00 exactly: next morning', '2026-11-23T22:00:00', '2026-11-24T07:00:00'],
  ['22:00:01 goes at 07:00 next day', '2026-11-23T22:00:01', '2026-11-24T07:00:00'],
  ['22:30 goes at 07:00 next day', '2026-11-23T22:30:00', '2026-11-24T07:00:00'],
  ['23:59:59.999 goes at 07:00 next day', '2026-11-23T23:59:59.999', '2026-11-24T07:00:00'],
  ['00:00:00 goes at 07:00 the same day', '2026-11-24T00:00:00', '2026-11-24T07:00:00'],
  ['03:00 goes at 07:00 the same day', '2026-11-24T03:00:00', '2026-11-24T07:00:00'],
  ['06:00:00 goes at 07:00', '2026-11-24T06:00:00', '2026-11-24T07:00:00'],
  // Month and year ends, leap day.
  ['22:30 on 31 January: 1 February', '2026-01-31T22:30:00', '2026-02-01T07:00:00'],
  ['23:00 on 28 February 2027: 1 March', '2027-02-28T23:00:00', '2027-03-01T07:00:00'],
  ['22:30 on 28 February 2028: the leap day', '2028-02-28T22:30:00', '2028-02-29T07:00:00'],
  ['22:00:01 on 31 December: New Year\'s Day', '2026-12-31T22:00:01', '2027-01-01T07:00:00'],
  ['21:30 on 31 December: still that year\'s 22:00', '2026-12-31T21:30:00', '2026-12-31T22:00:00'],
]
for (const [name, event, slot] of slots) {
  t.test(`digestSlot: ${name}`, async (t) => {
    t.equal(digestSlot(jst(event), DEFAULT_WINDOW).toISOString(), jst(slot).toISOString())
  })
}

// The JST date runs 9 h ahead of UTC: the same UTC day holds two JST dates.
const utc: Array<[string, string, string]> = [
  ['14:30Z is 23:30 JST: next JST morning, still the same UTC date', '2026-11-23T14:30:00Z', '2026-11-23T22:00:00.000Z'],
  ['14:59:59Z is 23:59:59 JST', '2026-11-23T14:59:59Z', '2026-11-23T22:00:00.000Z'],
  ['15:00Z is midnight JST on the 24th', '2026-11-23T15:00:00Z', '2026-11-23T22:00:00.000Z'],
  ['00:00Z is 09:00 JST: 10:00 JST', '2026-11-24T00:00:00Z', '2026-11-24T01:00:00.000Z'],
  ['12:59:59Z is 21:59:59 JST: 22:00 JST', '2026-11-24T12:59:59Z', '2026-11-24T13:00:00.000Z'],
  ['13:00:01Z is 22:00:01 JST', '2026-11-24T13:00:01Z', '2026-11-24T22:00:00.000Z'],
  ['31 Dec 15:00Z is already 1 January in Tokyo', '2026-12-31T15:00:00Z', '2026-12-31T22:00:00.000Z'],
  ['before 1970 (negative epoch) works too', '1969-12-31T14:30:00Z', '1969-12-31T22:00:00.000Z'],
]
for (const [name, event, slot] of utc) {
  t.test(`digestSlot UTC: ${name}`, async (t) => {
    t.equal(digestSlot(new Date(event), DEFAULT_WINDOW).toISOString(), slot)
  })
}

// [window, event (JST), slot (JST)]
const others: Array<[DigestWindow, string, string]> = [
  [{ start: '09:00', end: '18:00' }, '2026-11-23T08:59:00', '2026-11-23T09:00:00'],
  [{ start: '09:00', end: '18:00' }, '2026-11-23T17:10:00', '2026-11-23T18:00:00'],
  [{ start: '09:00', end: '18:00' }, '2026-11-23T18:00:00', '2026-11-24T09:00:00'],
  [{ start: '00:00', end: '23:00' }, '2026-11-23T22:30:00', '2026-11-23T23:00:00'],
  [{ start: '00:00', end: '23:00' }, '2026-11-23T23:30:00', '2026-11-24T00:00:00'],
  [{ start: '00:00', end: '01:00' }, '2026-11-23T00:59:59', '2026-11-23T01:00:00'],
  [{ start: '00:00', end: '01:00' }, '2026-11-23T01:00:00', '2026-11-24T00:00:00'],
  [{ start: '7:00', end: '22:00' }, '2026-11-23T06:30:00', '2026-11-23T07:00:00'],
]
for (const [window, event, slot] of others) {
  t.test(`digestSlot ${window.start}–${window.end}: ${event}`, async (t) => {
    t.equal(digestSlot(jst(event), window).toISOString(), jst(slot).toISOString())
  })
}

t.test('digestSlot: always later than the event, on the hour, inside the window', async (t) => {
  const from = jst('2026-12-30T00:00:00').getTime()
  for (let ms = from; ms < from + 3 * 86_400_000; ms += 7 * 60_000 + 1001) {
    const slot = digestSlot(new Date(ms), DEFAULT_WINDOW)
    if (!(slot.getTime() > ms && slot.getTime() - ms <= 10 * 3_600_000 && slot.getTime() % 3_600_000 === 0 && isInsideWindow(slot, DEFAULT_WINDOW))) {
      t.fail(`${new Date(ms).toISOString()} → ${slot.toISOString()}`)
    }
  }
})

t.test('digestSlot: an unchecked bad window throws', async (t) => {
  t.throws(() => digestSlot(new Date(), { start: '22:00', end: '07:00' }), RangeError)
  t.throws(() => isInsideWindow(new Date(), { start: '07:30', end: '22:00' }), RangeError)
})

// [JST time, inside 07:00–22:00]
const inside: Array<[string, boolean]> = [
  ['2026-11-23T06:59:59.999', false], ['2026-11-23T07:00:00', true], ['2026-11-23T07:00:01', true],
  ['2026-11-23T12:00:00', true], ['2026-11-23T21:59:59', true], ['2026-11-23T22:00:00', true],
  ['2026-11-23T22:00:00.001', false], ['2026-11-23T22:00:01', false], ['2026-11-24T00:00:00', false],
  ['2026-11-24T03:00:00', false], ['1969-12-31T12:00:00', true], ['1969-12-31T23:00:00', false],
]
for (const [at, expected] of inside) {
  t.test(`isInsideWindow ${at} JST`, async (t) => {
    t.equal(isInsideWindow(jst(at), DEFAULT_WINDOW), expected)
  })
}

// [text, parsed]
const parsed: Array<[string, DigestWindow | null]> = [
  ['07:00-22:00', { start: '07:00', end: '22:00' }],
  ['7:00-22:00', { start: '07:00', end: '22:00' }],
  ['07:00–22:00', { start: '07:00', end: '22:00' }],
  ['7:00〜22:00', { start: '07:00', end: '22:00' }],
  [' 09:00 ~ 18:00 ', { start: '09:00', end: '18:00' }],
  ['00:00-23:00', { start: '00:00', end: '23:00' }],
  ['00:00-01:00', { start: '00:00', end: '01:00' }],
  // Refused: not whole hours, start not before end, out of range, garbage.
  ['07:30-22:00', null], ['07:00-21:59', null], ['22:00-07:00', null], ['07:00-07:00', null],
  ['07:00-24:00', null], ['24:00-25:00', null], ['7-22', null], ['07:00', null], ['', null],
  ['07:00:00-22:00:00', null], ['007:00-22:00', null], ['07:00-22:00-23:00', null], ['０７:００-２２:００', null],
]
for (const [text, expected] of parsed) {
  t.test(`parseWindow ${JSON.stringify(text)}`, async (t) => {
    t.same(parseWindow(text), expected)
  })
}

t.test('checkWindow: the object form, normalized', async (t) => {
  t.same(checkWindow({ start: '7:00', end: '22:00' }), DEFAULT_WINDOW)
  t.same(checkWindow(DEFAULT_WINDOW), DEFAULT_WINDOW)
  t.equal(checkWindow({ start: '07:00', end: '22:30' }), null)
  t.equal(checkWindow({ start: '', end: '22:00' }), null)
})
