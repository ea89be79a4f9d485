// The process: read the configuration, build the app, listen; on SIGINT/SIGTERM stop accepting,
// finish in-flight requests (up to SHINSA_SHUTDOWN_GRACE_MS), close the database, exit.
import { pathToFileURL } from 'node:url'
import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig, type Config } from './config.js'
import { buildApp } from './app.js'

export async function start (config: Config) {
  const app = await buildApp(config)
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ err, signal }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
  return app
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
    console.error(`shinsa failed to start: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main()
