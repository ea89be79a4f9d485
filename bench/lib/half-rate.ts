// A measured route loaded again at half its req/s (autocannon's overallRate): its latency when the
// machine is not saturated, and the CPU each request costs the server and, on PostgreSQL, the
// bench database's backends — a figure that swings less with the machine's load than latency.
import { measure, type LoadOptions, type Measurement } from './load.js'
import { backendCpuBetween, backendCpuSeconds, cpuSeconds } from './proc.js'
import type { BenchContext, Route } from './scenario.js'

export type HalfRate = {
  rate: number
  m: Measurement
  /** CPU milliseconds per request; undefined where /proc cannot tell (or on PGlite, for the database). */
  serverCpuMs: number | undefined
  databaseCpuMs: number | undefined
}

type Reading = { server: number | undefined; database: Map<number, number> | undefined }
const reading = async (ctx: BenchContext): Promise<Reading> => ({
  server: await cpuSeconds(ctx.serverPid),
  database: ctx.database.kind === 'postgres' ? await backendCpuSeconds(ctx.database.name) : undefined,
})

export async function atHalfRate (ctx: BenchContext, route: Route, reqPerSec: number, load: LoadOptions): Promise<HalfRate> {
  const rate = Math.max(1, Math.floor(reqPerSec / 2))
  const before = await reading(ctx)
  const m = await measure({ ...route, url: new URL(route.path, ctx.baseUrl).toString() }, { ...load, overallRate: rate })
  const after = await reading(ctx)
  // The CPU readings span the warm-up too.
  const requests = m.reqPerSec * (load.duration + load.warmup)
  const perRequest = (seconds: number | undefined) => seconds === undefined || requests === 0 ? undefined : seconds * 1000 / requests
  return {
    rate,
    m,
    serverCpuMs: perRequest(before.server === undefined || after.server === undefined ? undefined : after.server - before.server),
    databaseCpuMs: perRequest(backendCpuBetween(before.database, after.database)),
  }
}
