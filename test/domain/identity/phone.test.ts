// Phone keys: every way of writing one Japanese line is one E.164 number.
import t from 'tap'
import { canonicalPhone } from '../../../src/domain/identity/phone.js'

// [typed, E.164]
const cases: Array<[string, string | null]> = [
  // Fixed lines: hyphens, none, parentheses, +81, full width.
  ['03-1234-5678', '+81312345678'],
  ['0312345678', '+81312345678'],
  ['03(1234)5678', '+81312345678'],
  ['０３（１２３４）５６７８', '+81312345678'],
  ['０３－１２３４－５６７８', '+81312345678'],
  ['+81 3-1234-5678', '+81312345678'],
  ['06-6123-4567', '+81661234567'],
  // Mobile, IP phone, toll-free.
  ['090-1234-5678', '+819012345678'],
  ['+81 90 1234 5678', '+819012345678'],
  ['+81-90-1234-5678', '+819012345678'],
  ['  090 1234 5678  ', '+819012345678'],
  ['050-1234-5678', '+815012345678'],
  ['0120-123-456', '+81120123456'],
  // Not a valid Japanese number: too short or long, unassigned, foreign, not a number at all.
  ['', null], ['03-1234', null], ['090-1234-56789', null], ['00-0000-0000', null],
  ['+1 212-555-0123', null], ['+44 20 7946 0958', null], ['abc', null], ['1234-5678', null],
]

for (const [typed, expected] of cases) {
  t.test(JSON.stringify(typed), async (t) => {
    t.equal(canonicalPhone(typed), expected)
  })
}
