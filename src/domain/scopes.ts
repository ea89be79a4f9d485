// API key scopes and the presets that match seed 003's roles: 一般 (general) and 出荷 (shipping).
// personal-data:erase is in no role preset, only `full`: an erasure deletes fraud evidence for
// good, so it belongs to whoever answers the merchant's privacy requests, not to a checkout key.

export const SCOPES = [
  'orders:score',
  'orders:feedback',
  'shipments:check',
  'addresses:match',
  'lists:read',
  'lists:write',
  'webhooks:manage',
  'personal-data:erase',
  'orders:read',
  'rules:read',
  'rules:draft',
  'rules:publish',
] as const

export type Scope = (typeof SCOPES)[number]

export const PRESETS = {
  full: [...SCOPES],
  // Reading decisions and rules, not changing what decides: rules:draft and rules:publish are
  // the fraud team's (full keys, or keys made with those scopes).
  general: SCOPES.filter((s) => s !== 'webhooks:manage' && s !== 'personal-data:erase' && s !== 'rules:draft' && s !== 'rules:publish'),
  shipping: ['shipments:check', 'addresses:match'],
} as const satisfies Record<string, readonly Scope[]>

export type Preset = keyof typeof PRESETS

/** Scopes in SCOPES order without repeats, so equal grants compare and display equally. */
export function canonicalScopes (scopes: readonly Scope[]): Scope[] {
  const wanted = new Set(scopes)
  return SCOPES.filter((s) => wanted.has(s))
}
