// The OpenAPI 3.1 document, generated from the route schemas: components are named after each
// shared schema's $id. Served at /openapi.json and browsable at /docs.
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { SECURITY_SCHEMES } from '../schemas/security.js'

export const TAGS = [
  { name: 'health', description: 'Liveness and readiness probes for load balancers and orchestrators' },
  { name: 'merchants', description: 'Operator: merchants (加盟店) and their settings' },
  { name: 'api-keys', description: 'Operator: merchant API keys, their scopes, expiry and revocation' },
  { name: 'address-matching', description: 'Merchants: 不正住所照合 — addresses against the fraud-address store, one or a CSV batch' },
  { name: 'fraud-addresses', description: 'Operator: the card issuers\' store of addresses used in past fraud (不正利用住所), and its imports' },
  { name: 'rules', description: 'Merchants: their own rules in CEL, as numbered versions — drafted, run as the shadow, published (二者承認 / maker-checker when asked) and rolled back — with per-rule counts' },
  { name: 'decisions', description: 'Merchants: stored decisions — what each was computed from, its trace, replay, and what-ifs under other rulesets' },
  { name: 'personal-data', description: 'Merchants: erasure of one person\'s personal data (個人情報保護法 / APPI) and what it touched' },
]

export const OPENAPI_INFO = {
  title: 'shinsa',
  version: '1.0.0',
  summary: 'Fraud detection for Japanese e-commerce (審査)',
  description: 'Real-time order scoring at authorization and shipping time, and matching of ship-to ' +
    'addresses against the card issuers\' store of addresses used in past fraud (不正住所照合). ' +
    'Errors are RFC 9457 application/problem+json documents with a stable `code`.',
  license: { name: 'Proprietary', identifier: 'LicenseRef-shinsa' },
  contact: { name: 'shinsa support' },
}

export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [{ url: '/', description: 'The instance serving this document' }],
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `Schema${i}`),
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true }, staticCSP: true })

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
