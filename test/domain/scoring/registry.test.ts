// The registry (signals/index.ts) is the one list of built-in signals: the reason codes, the
// signals each payment method runs, the shipping-time ones and the destination codes all come
// from what each signal file declares. Pinned here as they were before the registry existed.
import t from 'tap'
import { REASON_CODES } from '../../../src/domain/scoring/reason.js'
import { RULESET } from '../../../src/domain/scoring/ruleset.js'
import { CASH_ON_DELIVERY_SIGNALS, ORDER_SIGNALS, signalsFor } from '../../../src/domain/scoring/score.js'
import { DESTINATION_CODES, SHIPMENT_SIGNALS } from '../../../src/domain/scoring/shipment.js'
import { SIGNALS } from '../../../src/domain/scoring/signals/index.js'

const codes = (signals: readonly { code: string }[]) => signals.map((s) => s.code)

t.test('REASON_CODES keep their published order (the OpenAPI enum follows it)', async (t) => {
  t.strictSame(REASON_CODES, [
    'FRAUD_ADDRESS_FULL', 'FRAUD_ADDRESS_PARTIAL', 'FRAUD_HISTORY_MATCH', 'FRAUD_HISTORY_SIMILAR',
    'BLOCKLIST_HIT', 'FORWARDING_ADDRESS', 'PICKUP_OR_HOLD_ADDRESS', 'CARE_OF_ADDRESS', 'SHORT_STAY_ADDRESS',
    'EMAIL_FREE_DOMAIN', 'EMAIL_DISPOSABLE', 'EMAIL_INVALID', 'PHONE_INVALID', 'PHONE_REGION_MISMATCH',
    'POSTAL_CODE_MISMATCH', 'NAME_ROMAJI', 'KANA_MISMATCH', 'SHIP_TO_DIFFERS', 'CARD_OVERSEAS',
    'AMOUNT_UNUSUAL', 'RESALE_PRONE_ITEMS', 'VELOCITY_SHIP_TO', 'VELOCITY_BUYER', 'THREE_DS_AUTHENTICATED',
  ])
  t.ok(Object.isFrozen(REASON_CODES))
})

t.test('one signal per code, SCREAMING_SNAKE, each with a whole weight', async (t) => {
  t.equal(new Set(codes(SIGNALS)).size, SIGNALS.length)
  for (const s of SIGNALS) {
    t.match(s.code, /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/, s.code)
    t.ok(Number.isInteger(s.weight) && s.weight >= -100 && s.weight <= 100, `${s.code} weighs ${s.weight}`)
    t.equal(RULESET.weights[s.code], s.weight)
  }
  t.equal(Object.keys(RULESET.weights).length, SIGNALS.length)
})

t.test('an order runs every signal; cash on delivery the blocklist only (seed 002)', async (t) => {
  t.strictSame([...codes(ORDER_SIGNALS)].sort(), [...REASON_CODES].sort())
  t.strictSame(codes(CASH_ON_DELIVERY_SIGNALS), ['BLOCKLIST_HIT'])
  t.equal(signalsFor('cod'), CASH_ON_DELIVERY_SIGNALS)
  for (const m of ['card', 'bank_transfer', 'convenience_store', 'carrier', 'deferred', 'other']) t.equal(signalsFor(m), ORDER_SIGNALS, m)
})

t.test('the shipping-time check re-judges the destination, the blocklist and the fraud history', async (t) => {
  t.strictSame([...codes(SHIPMENT_SIGNALS)].sort(), [
    'BLOCKLIST_HIT', 'CARE_OF_ADDRESS', 'FORWARDING_ADDRESS', 'FRAUD_ADDRESS_FULL', 'FRAUD_ADDRESS_PARTIAL',
    'FRAUD_HISTORY_MATCH', 'FRAUD_HISTORY_SIMILAR', 'PICKUP_OR_HOLD_ADDRESS', 'SHORT_STAY_ADDRESS',
  ])
  t.strictSame([...DESTINATION_CODES].sort(), [
    'CARE_OF_ADDRESS', 'FORWARDING_ADDRESS', 'FRAUD_ADDRESS_FULL', 'FRAUD_ADDRESS_PARTIAL', 'PICKUP_OR_HOLD_ADDRESS', 'SHORT_STAY_ADDRESS',
  ])
  for (const code of DESTINATION_CODES) t.ok(codes(SHIPMENT_SIGNALS).includes(code), `${code} is judged at shipping time`)
})
