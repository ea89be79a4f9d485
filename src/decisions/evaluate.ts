// One decision from features, live and shadow: the merchant's live version (if any) decides,
// the shadow version (if any) is evaluated from the same features and only recorded. Every
// caller that decides an order comes here: scoring, shipment checks, what-ifs and replays.
import type { MerchantDecisionRow } from '../db/evidence.js'
import { decide, type Decision, type ShadowOutcome } from '../domain/rules/decide.js'
import type { DecisionFeatures } from '../domain/scoring/features.js'
import { CURRENT_BUILTIN } from '../domain/scoring/ruleset.js'
import type { DecisionDeps } from './deps.js'

export type LiveAndShadow = { decision: Decision; shadow: ShadowOutcome | null }

/** `shadow: false` for checks that store no shadow outcome (shipments). */
export async function decideLive (
  deps: DecisionDeps, merchantId: string, merchant: MerchantDecisionRow, features: DecisionFeatures, opts: { shadow: boolean } = { shadow: true }
): Promise<LiveAndShadow> {
  const thresholds = { elevated: merchant.level_elevated_at, high: merchant.level_high_at }
  const [live, shadowVersion] = await Promise.all([
    merchant.live_ruleset_version === null ? null : deps.rules.version(merchantId, merchant.live_ruleset_version),
    merchant.shadow_ruleset_version === null || !opts.shadow ? null : deps.rules.version(merchantId, merchant.shadow_ruleset_version),
  ])
  const decision = decide(features, { builtin: CURRENT_BUILTIN, ruleset: live, thresholds })
  if (live !== null) deps.rules.count(merchantId, live.version, 'live', decision.trace.rules)
  if (shadowVersion === null) return { decision, shadow: null }
  const s = decide(features, { builtin: CURRENT_BUILTIN, ruleset: shadowVersion, thresholds })
  deps.rules.count(merchantId, shadowVersion.version, 'shadow', s.trace.rules)
  return { decision, shadow: { version: shadowVersion.version, score: s.score, level: s.level, recommendation: s.recommendation, trace: s.trace } }
}
