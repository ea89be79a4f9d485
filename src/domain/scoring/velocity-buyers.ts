// Counting distinct buyers for VELOCITY_SHIP_TO: two orders are one buyer when they share the
// e-mail or the name, so a fraudster who changes only the e-mail, or only the name, is still one
// buyer — and several people are counted only when both differ.
export type BuyerMark = { buyer_email: string | null; buyer_name: string | null }

export function distinctBuyers(orders: readonly BuyerMark[]): number {
  const parent = orders.map((_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!
    return i
  }
  const seen = new Map<string, number>()
  orders.forEach((o, i) => {
    for (const key of [o.buyer_email === null ? null : `e:${o.buyer_email}`, o.buyer_name === null ? null : `n:${o.buyer_name}`]) {
      if (key === null) continue
      const j = seen.get(key)
      if (j === undefined) seen.set(key, i)
      else parent[find(i)] = find(j)
    }
  })
  return new Set(orders.map((_, i) => find(i))).size
}
