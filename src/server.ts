// The process: read the configuration, build the app, listen; on SIGINT/SIGTERM stop accepting,
// finish in-flight requests (up to SHINSA_SHUTDOWN_GRACE_MS), close the database, exit.
import { pathToFileURL } from 'node:url'
import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig, type Config } from './config.js'
import { buildApp } from './app.js'
import { loadDictionaries } from './domain/scoring/dictionaries.js'

export async function start (config: Config) {
  // Before the app exists: loading blocks the loop for a second or two, and the load-shedding
  // monitor, once started, would read that as an overload and refuse the first requests.
  const started = performance.now()
  const loaded = loadDictionaries()
  const ms = Math.round(performance.now() - started)
  const app = await buildApp(config)
  app.log.info({ ...loaded, ms }, 'scoring dictionaries loaded')
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ err, signal }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
  return app
}

/** An error and its causes on one line, with their codes (ECONNREFUSED, SQLSTATE 3D000 …). */
export function describeError (err: unknown): string {
  const parts: string[] = []
  for (let e = err as { message?: unknown; code?: unknown; cause?: unknown } | undefined; e != null && parts.length < 5; e = e.cause as typeof e) {
    const code = typeof e.code === 'string' ? ` [${e.code}]` : ''
    parts.push(`${String(e.message ?? e)}${code}`)
  }
  return parts.join(': ')
}

function main (): void {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(err.message)
    process.exit(1)
  }
  start(config).catch((err: unknown) => {
    console.error(`shinsa failed to start: ${describeError(err)}`)
    process.exit(1)
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main()
