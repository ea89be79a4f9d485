// Every built-in table an answer was ever given under, pinned here as a literal. A weight, a
// floor or a signal changed in its signal file without a new RULESET.version fails here: a stored
// decision replays under its own version, so a version's table must never change under it.
// To change the table: bump RULESET.version, freeze the old table in BUILTIN_TABLES as a literal
// copy (ruleset.ts), and pin the new version below.
import t from 'tap'
import type { ReasonCode } from '../../../src/domain/scoring/reason.js'
import { BUILTIN_TABLES, CURRENT_BUILTIN, RULESET, type BuiltinTable } from '../../../src/domain/scoring/ruleset.js'

type Pin = { weights: Partial<Record<ReasonCode, number>>; floors: BuiltinTable['floors'] }

const PINNED: Record<string, Pin> = {
  '2026-12-07.1': {
    weights: {
      FRAUD_ADDRESS_FULL: 60, FRAUD_ADDRESS_PARTIAL: 25, FRAUD_HISTORY_MATCH: 50, FRAUD_HISTORY_SIMILAR: 25,
      BLOCKLIST_HIT: 60, FORWARDING_ADDRESS: 30, PICKUP_OR_HOLD_ADDRESS: 20, CARE_OF_ADDRESS: 15, SHORT_STAY_ADDRESS: 15,
      EMAIL_FREE_DOMAIN: 3, EMAIL_DISPOSABLE: 20, EMAIL_INVALID: 15, PHONE_INVALID: 15, PHONE_REGION_MISMATCH: 8,
      POSTAL_CODE_MISMATCH: 10, NAME_ROMAJI: 5, KANA_MISMATCH: 10, SHIP_TO_DIFFERS: 5, CARD_OVERSEAS: 10,
      AMOUNT_UNUSUAL: 10, RESALE_PRONE_ITEMS: 8, VELOCITY_SHIP_TO: 30, VELOCITY_BUYER: 20, THREE_DS_AUTHENTICATED: -15,
    },
    floors: {
      BLOCKLIST_HIT: 'high', FRAUD_ADDRESS_FULL: 'high', FRAUD_ADDRESS_PARTIAL: 'elevated',
      FORWARDING_ADDRESS: 'elevated', PICKUP_OR_HOLD_ADDRESS: 'elevated', CARE_OF_ADDRESS: 'elevated',
    },
  },
}

const live = () => JSON.stringify({ weights: RULESET.weights, floors: RULESET.floors })

t.test('every table is pinned, and every pinned version still has its table', async (t) => {
  t.strictSame(Object.keys(BUILTIN_TABLES).sort(), Object.keys(PINNED).sort())
  t.ok(RULESET.version in PINNED, `the current version ${RULESET.version} is pinned`)
})

for (const [version, pin] of Object.entries(PINNED)) {
  t.test(`${version}: weights and floors as they were published`, async (t) => {
    const table = BUILTIN_TABLES[version]
    if (table === undefined) return void t.fail(`no table for ${version}: freeze it in BUILTIN_TABLES, never drop it`)
    t.equal(table.version, version)
    const hint = version === RULESET.version ? ` — a signal changed without a new RULESET.version; the registry now says ${live()}` : ''
    t.strictSame({ ...table.weights }, pin.weights, `weights${hint}`)
    t.strictSame({ ...table.floors }, pin.floors, `floors${hint}`)
  })
}

t.test('the current table is the registry; older ones are frozen copies of their own', async (t) => {
  t.equal(BUILTIN_TABLES[RULESET.version], CURRENT_BUILTIN)
  t.equal(CURRENT_BUILTIN.weights, RULESET.weights)
  t.equal(CURRENT_BUILTIN.floors, RULESET.floors)
  for (const table of [CURRENT_BUILTIN, ...Object.values(BUILTIN_TABLES)]) {
    t.ok(Object.isFrozen(table) && Object.isFrozen(table.weights) && Object.isFrozen(table.floors), `${table.version} cannot be edited at run time`)
  }
  for (const table of Object.values(BUILTIN_TABLES).filter((b) => b.version !== RULESET.version)) {
    t.not(table.weights, RULESET.weights, `${table.version} holds its own weights, not a view of the registry`)
    t.not(table.floors, RULESET.floors, `${table.version} holds its own floors`)
  }
})
