// `npm run openapi`: regenerate openapi/openapi.json from the route schemas (no database needed
// beyond an in-memory one). `--check` exits 1 when the committed file differs instead.
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'

export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url))

/** The document as committed: pretty-printed, with a final newline. */
export async function generateOpenApi (): Promise<string> {
  const config = loadConfig({ SHINSA_DATA_DIR: 'memory://', SHINSA_MIGRATE_ON_START: 'false', LOG_LEVEL: 'silent' })
  const app = await buildApp(config)
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
  }
}

async function main (): Promise<void> {
  const generated = await generateOpenApi()
  if (process.argv.includes('--check')) {
    const committed = await readFile(OPENAPI_PATH, 'utf8').catch(() => '')
    if (committed !== generated) {
      console.error('openapi/openapi.json is stale: run npm run openapi and commit it')
      process.exit(1)
    }
    return
  }
  await writeFile(OPENAPI_PATH, generated)
  console.log(`wrote ${OPENAPI_PATH}`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main()
