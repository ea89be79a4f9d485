// Normalizer throughput on one core: normalizeAddress called in this process, one thread, over
// distinct generated addresses (parts, then the same addresses as one line), after a warm-up.
import { normalizeAddress, type AddressInput } from '../../../src/domain/address/normalize.js'
import type { Places } from './places.js'
import { asLine, type Address } from './queries.js'
import { storedRow } from './rows.js'

export type Throughput = { perSecond: number; count: number; refused: number; rounds: number[] }

function inputs (places: Places, count: number, asLines: boolean): AddressInput[] {
  return Array.from({ length: count }, (_, i) => {
    const r = storedRow(places.stored, i)
    const parts: Address = {
      prefecture: r.prefecture, city: r.city, town: r.town, block: r.block,
      ...(r.room === '' ? {} : { room: r.room }), ...(r.building === '' ? {} : { building: r.building }),
    }
    return asLines ? { line: asLine(parts) } : parts
  })
}

// A round's figure, and a checksum the optimizer cannot drop the calls behind.
function round (all: readonly AddressInput[]): { seconds: number; refused: number; checksum: number } {
  let refused = 0
  let checksum = 0
  const start = process.hrtime.bigint()
  for (const input of all) {
    try {
      checksum += normalizeAddress(input).matchKey.length
    } catch {
      refused++
    }
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, refused, checksum }
}

/**
 * Three timed rounds over `count` addresses after a warm-up round over a different 20,000; the
 * figure is the median round (one slow round — the machine is shared — does not decide it).
 */
export function normalizerThroughput (places: Places, count: number, asLines: boolean): Throughput {
  const warm = inputs(places, count + 20_000, asLines)
  round(warm.slice(count))
  const measured = warm.slice(0, count)
  const rounds = [round(measured), round(measured), round(measured)]
  if (rounds[0]!.checksum === 0) throw new Error('the normalizer answered nothing')
  const perSecond = rounds.map((r) => count / r.seconds)
  return {
    perSecond: [...perSecond].sort((a, b) => a - b)[1]!,
    count,
    refused: rounds[0]!.refused,
    rounds: perSecond,
  }
}
