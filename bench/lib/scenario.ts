// What a benchmark scenario is: a setup that prepares data through the API and answers the
// routes to load. Scenarios live in bench/scenarios/<name>.ts and default-export a Scenario.
import type { Api } from './api.js'
import type { BenchDatabase } from './database.js'

export type BenchContext = {
  baseUrl: string
  adminToken: string
  merchantId: string
  /** The bench merchant's key with the `full` preset. */
  apiKey: string
  database: BenchDatabase
  /** JSON calls to the server, for setup steps that load data. */
  api: Api
}

export type Route = {
  title: string
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path on the server, e.g. `/v1/merchants/<id>`. */
  path: string
  headers?: Record<string, string>
  /** Sent as JSON with content-type application/json. */
  body?: unknown
}

export type Scenario = {
  name: string
  description: string
  /**
   * Loads what the routes need and answers the routes to load, in order. One function rather
   * than setup + a route list, so routes can use what setup created (ids, keys).
   */
  setup: (ctx: BenchContext) => Promise<Route[]>
}
