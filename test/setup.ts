// tap `before`: migrate one template database for the whole run — a PGlite data dir dumped to a
// tarball, or, when DATABASE_URL is set, a fresh database on that server used as a TEMPLATE.
import { mkdir, writeFile } from 'node:fs/promises'
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { openPGlite, connect } from '../src/db/connect.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { loadConfig } from '../src/config.js'
import { PGLITE_TEMPLATE, PG_TEMPLATE, TEMPLATE_DIR, quoteIdent, withDatabase } from './db-template.js'

await mkdir(TEMPLATE_DIR, { recursive: true })
const url = process.env.DATABASE_URL

if (url === undefined || url === '') {
  const pglite = await openPGlite('memory://')
  const database = await connect(loadConfig({}), { pglite })
  await migrateToLatest(database.db)
  const dump = await pglite.dumpDataDir('none')
  await writeFile(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()))
  await database.close()
} else {
  const name = `shinsa_test_${Date.now()}_${process.pid}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database ${quoteIdent(name)}`)
  await admin.end()
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: withDatabase(url, name), max: 1 }) }) })
  await migrateToLatest(db)
  await db.destroy()
  await writeFile(PG_TEMPLATE, JSON.stringify({ url, template: name }))
}
