// What a benchmark scenario is: a setup that prepares data through the API and answers the
// routes to load. Scenarios live in bench/scenarios/<name>.ts and default-export a Scenario.
import type { Api } from './api.js'
import type { BenchDatabase } from './database.js'
import type { LoadOptions, Measurement } from './load.js'
import type { Row } from './report.js'

export type BenchContext = {
  baseUrl: string
  /** The server's process id: for its memory and CPU time. */
  serverPid: number
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
  /** Instead of `body`: JSON bodies sent in turn, one after another across all connections. */
  bodies?: readonly unknown[]
  /** Instead of `body`/`bodies`: the JSON text of request n, n unique in the run (see load.ts). */
  makeBody?: (n: number) => string
}

/** What the run measured, handed to a scenario's `finish`. */
export type RunResults = {
  load: LoadOptions
  ceiling: Measurement
  /** Each route with its row, in the order setup answered them. */
  routes: Array<{ route: Route; row: Row }>
}

export type Scenario = {
  name: string
  description: string
  /**
   * Settings for the bench server over the bench's own (which turn the per-key rate limit and
   * load shedding off to measure raw throughput): a scenario that measures those turns them on.
   */
  serverEnv?: Record<string, string>
  /**
   * Loads what the routes need and answers the routes to load, in order. One function rather
   * than setup + a route list, so routes can use what setup created (ids, keys).
   */
  setup: (ctx: BenchContext) => Promise<Route[]>
  /** After the table: further runs that depend on the figures, and the scenario's own summary. */
  finish?: (ctx: BenchContext, results: RunResults) => Promise<void>
}
