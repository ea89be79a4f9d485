// Foundation: an authenticated read (one API-key hash lookup, one merchant lookup) against
// liveness (no database), the two ends of what every later route builds on.
import type { Scenario } from '../lib/scenario.js'

const scenario: Scenario = {
  name: 'foundation',
  description: 'GET /v1/merchants/{id} with a full API key, and GET /healthz',
  async setup (ctx) {
    return [
      {
        title: 'GET /v1/merchants/{id} (API key)',
        path: `/v1/merchants/${ctx.merchantId}`,
        headers: { authorization: `Bearer ${ctx.apiKey}` },
      },
      { title: 'GET /healthz', path: '/healthz' },
    ]
  },
}

export default scenario
