// Every built-in signal, one line each. The reason codes (and the OpenAPI enum, in this order),
// the ruleset's weights and floors and the lists each payment method and a shipment check run
// are all derived from this list: a new signal is its file and its line here.
import { amountUnusual } from './amount-unusual.js'
import { blocklistHit } from './blocklist-hit.js'
import { cardOverseas } from './card-overseas.js'
import { careOfAddress } from './care-of-address.js'
import { emailDisposable, emailFreeDomain, emailInvalid } from './email.js'
import { forwardingAddress } from './forwarding-address.js'
import { fraudAddressFull, fraudAddressPartial } from './fraud-address.js'
import { fraudHistoryMatch, fraudHistorySimilar } from './fraud-history.js'
import { kanaMismatch } from './kana-mismatch.js'
import { nameRomaji } from './name-romaji.js'
import { phoneInvalid, phoneRegionMismatch } from './phone.js'
import { pickupOrHoldAddress } from './pickup-or-hold-address.js'
import { postalCodeMismatch } from './postal-code.js'
import { resaleProneItems } from './resale-prone-items.js'
import { shipToDiffers } from './ship-to-differs.js'
import { shortStayAddress } from './short-stay-address.js'
import { threeDSAuthenticated } from './three-ds.js'
import { velocityBuyer, velocityShipTo } from './velocity.js'

// The order a run goes in does not matter (runSignals sorts by weight, then code); this one is
// the order codes were first published in.
export const SIGNALS = [
  fraudAddressFull, fraudAddressPartial, fraudHistoryMatch, fraudHistorySimilar, blocklistHit,
  forwardingAddress, pickupOrHoldAddress, careOfAddress, shortStayAddress,
  emailFreeDomain, emailDisposable, emailInvalid, phoneInvalid, phoneRegionMismatch, postalCodeMismatch,
  nameRomaji, kanaMismatch, shipToDiffers, cardOverseas, amountUnusual, resaleProneItems,
  velocityShipTo, velocityBuyer, threeDSAuthenticated,
] as const
