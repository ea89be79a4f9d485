// `npm run bench [-- <scenario>]`: starts the built server on a fresh database, bootstraps a
// merchant and key, runs the scenario's setup, then loads the ceiling and each route and prints
// req/s, latency, memory and each route's ratio to the ceiling. Cleans up on every exit path.
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { availableParallelism, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { apiClient, bootstrap } from './lib/api.js'
import { startCeiling } from './lib/ceiling.js'
import { cleanup, cleanupOnSignals, interrupted } from './lib/cleanup.js'
import { createBenchDatabase, databaseEnv, describeDatabase } from './lib/database.js'
import { measure, stopLoad, type LoadOptions } from './lib/load.js'
import { rssMb } from './lib/proc.js'
import { printRow, printTable, type Row } from './lib/report.js'
import type { BenchContext, RunResults, Scenario } from './lib/scenario.js'
import { startServer } from './lib/server.js'

function positiveInt (name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`)
  return Number(raw)
}

async function loadScenario (name: string): Promise<Scenario> {
  const file = resolve(import.meta.dirname, 'scenarios', `${name}.ts`)
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) throw new Error(`no scenario ${JSON.stringify(name)} (looked for ${file})`)
  const scenario = (await import(pathToFileURL(file).href) as { default?: Scenario }).default
  if (typeof scenario?.setup !== 'function') throw new Error(`${file} must default-export a Scenario`)
  return scenario
}

async function main (): Promise<void> {
  const scenario = await loadScenario(process.argv[2] ?? 'foundation')
  const load: LoadOptions = {
    duration: positiveInt('BENCH_DURATION', 10),
    connections: positiveInt('BENCH_CONNECTIONS', 10),
    warmup: 2,
  }
  const database = await createBenchDatabase(process.env.DATABASE_URL)
  console.log(`scenario ${scenario.name}: ${scenario.description}`)
  console.log(`database ${describeDatabase(database)}`)
  console.log(`load     ${load.connections} connections, ${load.warmup} s warm-up + ${load.duration} s per route` +
    ` | node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)}`)

  const adminToken = randomBytes(16).toString('hex')
  const server = await startServer({ ...scenario.serverEnv, ...databaseEnv(database), SHINSA_ADMIN_TOKEN: adminToken })
  const api = apiClient(server.baseUrl)
  const { merchantId, apiKey } = await bootstrap(api, adminToken)
  const ctx: BenchContext = { baseUrl: server.baseUrl, serverPid: server.pid, adminToken, merchantId, apiKey, database, api }
  const routes = await scenario.setup(ctx)

  const ceiling = await startCeiling(database, merchantId)
  console.log(`ceiling  ${ceiling.note}\n`)
  const top = await measure({ url: ceiling.url }, load)
  const rows: Row[] = [{ title: 'ceiling: one indexed lookup', m: top, rssMb: await rssMb(ceiling.pid), ratio: 1 }]
  printRow(rows[0] as Row)

  const measured: RunResults['routes'] = []
  for (const route of routes) {
    const m = await measure({ ...route, url: new URL(route.path, server.baseUrl).toString() }, load)
    const row = { title: route.title, m, rssMb: await rssMb(server.pid), ratio: top.reqPerSec > 0 ? m.reqPerSec / top.reqPerSec : 0 }
    rows.push(row)
    measured.push({ route, row })
    printRow(row)
  }
  printTable(rows)
  await scenario.finish?.(ctx, { load, ceiling: top, routes: measured })
}

cleanupOnSignals(stopLoad)
let exitCode = 0
try {
  await main()
} catch (err) {
  if (!interrupted()) console.error(`bench: ${(err as Error).stack ?? String(err)}`)
  exitCode = 1
} finally {
  await cleanup()
}
// Keep-alive sockets and timers must not hold the process open after the figures are printed.
process.exit(exitCode)
