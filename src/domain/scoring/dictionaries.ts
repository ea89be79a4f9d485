// The scoring dictionaries load on first use; a server loads them before it listens, so the
// first order does not pay for them: the disposable-mail list (~120,000 domains), the fixed-line
// area-code table and IPADIC's name readings.
import { loadNameReadings } from './name-dictionary.js'
import { isDisposableDomain } from './signals/email.js'
import { areaTable } from './signals/phone.js'

export function loadDictionaries (): { disposableChecked: boolean; areaCodes: number; names: number } {
  const disposableChecked = isDisposableDomain('example.invalid') === false
  const areaCodes = areaTable().size
  const readings = loadNameReadings()
  return { disposableChecked, areaCodes, names: readings.family + readings.given }
}
