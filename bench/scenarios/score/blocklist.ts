// The bench merchant's blocklist (ブラックリスト): 1,000 entries through POST /v1/blocklist, so they
// are stored in the form shinsa normalizes them to — e-mails, phones and addresses of buyers with
// a "listed" role (people.ts ROLE), names nobody else has, card BINs and IP ranges.
import type { Api } from '../../lib/api.js'
import type { Places } from '../address/places.js'
import { asLine, person, ROLE } from './people.js'
import { inParallel } from './parallel.js'

/** How many entries of each kind: the load's blocklisted buyers are picked among these. */
export const LISTED = { email: 400, emailDomain: 5, phone: 250, name: 100, address: 150, cardBin: 45, ip: 50 } as const

const SURNAMES = ['黒田', '白石', '赤井', '青山', '緑川', '金田', '銀林', '紫藤', '桃井', '灰原']
const GIVEN = ['一平', '二郎', '三吉', '四郎', '五郎', '六助', '七海', '八重', '九美', '十和']

type Entry = { type: 'email' | 'phone' | 'name' | 'address' | 'card_bin' | 'ip'; value: string; note: string }

export function entries (places: Places): Entry[] {
  const out: Entry[] = []
  const role = (r: number, k: number) => person(places, 100 * k + r)
  for (let k = 0; k < LISTED.email; k++) out.push({ type: 'email', value: role(ROLE.listedEmail, k).email, note: 'chargeback' })
  for (let k = 0; k < LISTED.emailDomain; k++) out.push({ type: 'email', value: `@throwaway${k}.example`, note: 'domain' })
  for (let k = 0; k < LISTED.phone; k++) out.push({ type: 'phone', value: role(ROLE.listedPhone, k).phone, note: 'no answer' })
  for (let k = 0; k < LISTED.name; k++) out.push({ type: 'name', value: `${SURNAMES[k % 10]} ${GIVEN[Math.floor(k / 10)]}`, note: 'police report' })
  for (let k = 0; k < LISTED.address; k++) out.push({ type: 'address', value: asLine(role(ROLE.listedAddress, k).address), note: 'reshipper' })
  for (let k = 0; k < LISTED.cardBin; k++) out.push({ type: 'card_bin', value: String(620_000 + k * 37), note: 'test cards' })
  for (let k = 0; k < LISTED.ip; k++) out.push({ type: 'ip', value: `198.18.${k}.0/24`, note: 'proxy range' })
  return out
}

/** Posts every entry, 8 at a time; answers the count and the seconds it took. */
export async function fillBlocklist (api: Api, apiKey: string, places: Places): Promise<{ count: number; seconds: number }> {
  const start = performance.now()
  const list = entries(places)
  await inParallel(list.length, 8, (i) => api('POST', '/v1/blocklist', { token: apiKey, body: list[i], expect: 201 }))
  return { count: list.length, seconds: (performance.now() - start) / 1000 }
}
