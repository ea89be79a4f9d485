// API key scopes and the presets that match seed 003's roles: 一般 (general) and 出荷 (shipping).

export const SCOPES = [
  'orders:score',
  'orders:feedback',
  'shipments:check',
  'addresses:match',
  'lists:read',
  'lists:write',
  'webhooks:manage',
] as const

export type Scope = (typeof SCOPES)[number]

export const PRESETS = {
  full: [...SCOPES],
  general: SCOPES.filter((s) => s !== 'webhooks:manage'),
  shipping: ['shipments:check', 'addresses:match'],
} as const satisfies Record<string, readonly Scope[]>

export type Preset = keyof typeof PRESETS

/** Scopes in SCOPES order without repeats, so equal grants compare and display equally. */
export function canonicalScopes (scopes: readonly Scope[]): Scope[] {
  const wanted = new Set(scopes)
  return SCOPES.filter((s) => wanted.has(s))
}
