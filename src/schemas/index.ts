// Schemas with an $id, registered once with app.addSchema: they become OpenAPI components.
import { ApiKeyCreated, ApiKeyList, ApiKeySchema, ScopeSchema } from './api-key.js'
import { MerchantPage, MerchantSchema, Thresholds } from './merchant.js'
import { FraudAddressImportSchema, FraudAddressPage, FraudAddressSchema, ImportLineErrorSchema } from './fraud-address.js'
import { AddressSchema } from './address.js'
import { AddressMatchBatchSchema, BatchResultPage, BatchResultRow } from './address-match-batch.js'
import { BlocklistEntrySchema, BlocklistPage } from './blocklist.js'
import { FeedbackSchema } from './feedback.js'
import { AddressMatchSummary, DecidedBySchema, ReasonSchema, RuleActionSchema, ScoreSchema, VersionsSchema } from './order.js'
import { ShipmentChange, ShipmentSchema } from './shipment.js'
import { AttemptSchema, DeliveryPage, DeliverySchema, DigestWindowSchema, WebhookList, WebhookSchema, WebhookWithSecret } from './webhook.js'
import { AddressMatchSchema, FieldJudgments, MatchedRecordSchema, NormalizedAddressSchema } from './address-match.js'
import { ErasureSchema } from './personal-data.js'
import { PublicationSchema, RuleCountsSchema, RuleSchema, RulesetBodySchema, RulesetPage, RulesetSchema, RulesetSummarySchema } from './ruleset.js'
import { FeaturesSchema, StoredDecisionSchema, TraceSchema, WhatIfSchema } from './decision.js'
import { BacktestResultSchema, BacktestSchema, BacktestTallySchema } from './backtest.js'

export const sharedSchemas = [
  ScopeSchema, Thresholds, MerchantSchema, MerchantPage, ApiKeySchema, ApiKeyCreated, ApiKeyList,
  ImportLineErrorSchema, FraudAddressImportSchema, FraudAddressSchema, FraudAddressPage,
  AddressSchema, MatchedRecordSchema, FieldJudgments, NormalizedAddressSchema, AddressMatchSchema,
  AddressMatchBatchSchema, BatchResultRow, BatchResultPage,
  RuleActionSchema, ReasonSchema, AddressMatchSummary, VersionsSchema, DecidedBySchema, ScoreSchema, ShipmentChange, ShipmentSchema, FeedbackSchema,
  BlocklistEntrySchema, BlocklistPage,
  DigestWindowSchema, WebhookSchema, WebhookWithSecret, WebhookList, AttemptSchema, DeliverySchema, DeliveryPage,
  ErasureSchema,
  RuleSchema, RulesetBodySchema, PublicationSchema, RuleCountsSchema, RulesetSummarySchema, RulesetSchema, RulesetPage, FeaturesSchema, TraceSchema, StoredDecisionSchema, WhatIfSchema,
  BacktestTallySchema, BacktestResultSchema, BacktestSchema,
]
