// The CEL vocabulary of merchant rules as one table: the README and the OpenAPI document print
// it, and cel-environment.ts declares the checker's types from it, so the two never disagree.
// A path's type is a CEL type, or the name of an object type whose fields are the paths one
// segment below it (`order.buyer` → `order.buyer.email` …; a list's items: `order.items[].sku`).

export type VocabularyEntry = {
  name: string
  type: string
  description: string
  /** Absent on some orders: test it with `has()` before reading it. */
  optional: boolean
}

type Row = [name: string, type: string, description: string, optional?: 'optional']

const address = (who: string, whose: string): Row[] => [
  [`order.${who}.address`, 'Address', `The ${whose} address as sent.`],
  ...(['postalCode', 'prefecture', 'city', 'town', 'block', 'room', 'building', 'line'] as const)
    .map((f): Row => [`order.${who}.address.${f}`, 'string', `The ${whose} address's ${f}, as sent.`, 'optional']),
]

const ROWS: Row[] = [
  ['order', 'Order', 'The order as POST /v1/orders/score received it.'],
  ['order.orderId', 'string', "The merchant's order id."],
  ['order.orderedAt', 'string', 'When the order was placed, as sent (RFC 3339).', 'optional'],
  ['order.amount', 'int', 'Order total in JPY.'],
  ['order.currency', 'string', "Always 'JPY' when sent.", 'optional'],
  ['order.paymentMethod', 'string', "'card', 'cod', 'bank_transfer', 'convenience_store', 'carrier', 'deferred' or 'other'."],
  ['order.card', 'Card', 'The card, for card payments.', 'optional'],
  ['order.card.bin', 'string', 'First six or eight digits of the card number.'],
  ['order.card.last4', 'string', 'Last four digits of the card number.'],
  ['order.card.issuerCountry', 'string', "ISO 3166-1 alpha-2 country of the card's issuer, as sent ('JP', 'us' …).", 'optional'],
  ['order.card.threeDSecure', 'string', "'authenticated', 'attempted', 'failed' or 'not_performed'.", 'optional'],
  ['order.card.holderName', 'string', 'Name on the card, as sent.', 'optional'],
  ['order.buyer', 'Buyer', 'Who placed the order.'],
  ['order.buyer.name', 'string', "The buyer's name, as sent."],
  ['order.buyer.nameKana', 'string', "The buyer's name in kana (フリガナ), as sent.", 'optional'],
  ['order.buyer.email', 'string', "The buyer's email address, as sent."],
  ['order.buyer.phone', 'string', "The buyer's phone number, as sent.", 'optional'],
  ...address('buyer', "buyer's"),
  ['order.buyer.ip', 'string', "The buyer's IP address.", 'optional'],
  ['order.shipTo', 'ShipTo', 'Where the order ships when not to the buyer; absent: ships to the buyer.', 'optional'],
  ['order.shipTo.name', 'string', "The recipient's name, as sent.", 'optional'],
  ['order.shipTo.nameKana', 'string', "The recipient's name in kana, as sent.", 'optional'],
  ['order.shipTo.phone', 'string', "The recipient's phone number, as sent.", 'optional'],
  ...address('shipTo', 'ship-to'),
  ['order.items', 'list<Item>', 'The order lines.', 'optional'],
  ['order.items[].sku', 'string', "The merchant's SKU.", 'optional'],
  ['order.items[].name', 'string', 'Product name.'],
  ['order.items[].category', 'string', "The merchant's category of the product.", 'optional'],
  ['order.items[].unitPrice', 'int', 'Unit price in JPY.'],
  ['order.items[].quantity', 'int', 'Units ordered.'],
  ['identities', 'Identities', 'The canonical keys the order was matched on (normalized, not as sent).'],
  ['identities.email', 'string', 'Canonical email address (lower case, sub-addressing removed).', 'optional'],
  ['identities.emailDomain', 'string', 'Domain of the canonical email address.', 'optional'],
  ['identities.phone', 'string', 'Canonical phone number (E.164).', 'optional'],
  ['identities.buyerName', 'string', "The buyer's name key (spaces and width folded).", 'optional'],
  ['identities.shipToName', 'string', "The recipient's name key; the buyer's when there is no ship-to name.", 'optional'],
  ['identities.buyerPrefecture', 'string', "The buyer's normalized prefecture (都道府県).", 'optional'],
  ['identities.buyerCity', 'string', "The buyer's normalized city (市区町村).", 'optional'],
  ['identities.shipToPrefecture', 'string', "The ship-to's normalized prefecture; the buyer's when there is no ship-to.", 'optional'],
  ['identities.shipToCity', 'string', "The ship-to's normalized city; the buyer's when there is no ship-to.", 'optional'],
  ['identities.shipToPostalCode', 'string', "The ship-to's normalized postal code (7 digits).", 'optional'],
  ['features', 'Features', 'The evidence the built-in signals weighed.'],
  ['features.addressMatch', 'string', "不正住所照合 of the ship-to: 'full', 'partial' or 'none'."],
  ['features.addressMatchCount', 'int', 'Fraud-address records the ship-to hit.'],
  ['features.blocklistFields', 'list<string>', "Request fields on the merchant's blocklist: 'buyer.email', 'shipTo.address' …"],
  ['features.historyMatchFields', 'list<string>', "Fields matching an earlier fraud order of this merchant exactly (一致)."],
  ['features.historySimilarFields', 'list<string>', 'Fields resembling an earlier fraud order of this merchant (類似).'],
  ['features.shipToBuyers', 'int', 'Distinct buyers shipping to this ship-to in the velocity window, this order included.'],
  ['features.buyerHighValueOrders', 'int', "This buyer's high-value orders in the window, this one included (0: this one is not high-value)."],
  ['features.merchantOrders', 'int', "The merchant's orders before this one."],
  ['features.typicalAmount', 'int', "The merchant's typical order in JPY (geometric mean), 0 until 30 orders are known."],
  ['features.amountRatio', 'double', 'order.amount / features.typicalAmount, 0.0 while typicalAmount is 0. A double: compare with 3.0 or 3, both work.'],
  ['reasons', 'list<string>', "Codes of the built-in reasons that fired: 'VELOCITY_SHIP_TO' in reasons."],
  ['score', 'int', 'The built-in score (0–100) before merchant rules, after the floors.'],
  ['hour', 'int', 'Hour the order was placed, Asia/Tokyo, 0–23.'],
  ['lists', 'Lists', "The merchant's lists the order is on."],
  ['lists.blocklist', 'list<string>', "Blocklist entry types that hit: 'email', 'phone' …"],
]

export const VOCABULARY: ReadonlyArray<VocabularyEntry> = Object.freeze(ROWS.map(([name, type, description, optional]) =>
  Object.freeze({ name, type, description, optional: optional === 'optional' })))
