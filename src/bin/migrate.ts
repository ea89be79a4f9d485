// `npm run migrate [-- down]`: apply every pending migration (or undo the last one) on the
// configured database — DATABASE_URL, or the embedded one in SHINSA_DATA_DIR.
import { ConfigError, loadConfig } from '../config.js'
import { connect } from '../db/connect.js'
import { migrateDown, migrateToLatest } from '../db/migrate.js'

async function main (direction: string | undefined): Promise<void> {
  if (direction !== undefined && direction !== 'up' && direction !== 'down') {
    throw new ConfigError(`Unknown direction "${direction}": use up (the default) or down`)
  }
  const database = await connect(loadConfig())
  try {
    const { results } = direction === 'down' ? await migrateDown(database.db) : await migrateToLatest(database.db)
    if (results === undefined || results.length === 0) console.log('Nothing to do: the database is current')
    for (const r of results ?? []) console.log(`${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`)
  } finally {
    await database.close()
  }
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `migration failed: ${String((err as Error).cause ?? err)}`)
  process.exit(1)
})
