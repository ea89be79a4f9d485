// Every migration runs up, down and up again, on the database this run uses (PGlite or PostgreSQL).
import t from 'tap'
import { sql } from 'kysely'
import { connect } from '../src/db/connect.js'
import { knownMigrations, migrateDown, migrateToLatest, pendingMigrations } from '../src/db/migrate.js'
import { freshDatabase, testConfig } from './helper.js'

t.test('migrations: up → down → up', async (t) => {
  const fresh = await freshDatabase({ migrated: false })
  const database = await connect(testConfig({}, fresh), { pglite: fresh.pglite })
  t.teardown(async () => {
    await database.close()
    await fresh.drop()
  })
  const { db } = database
  const known = await knownMigrations()
  t.ok(known.length > 0)
  t.same(known, [...known].sort(), 'names sort in order')
  for (const name of known) t.match(name, /^\d{4}_[a-z0-9_]+$/, `${name} is NNNN_snake_description`)

  const tables = async () => (await sql<{ t: string }>`
    select table_name as t from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(db)).rows.map((r) => r.t)

  t.same(await pendingMigrations(db, known), known, 'a new database has every migration pending')
  await migrateToLatest(db)
  t.same(await pendingMigrations(db, known), [])
  const afterUp = await tables()
  t.ok(afterUp.includes('merchants') && afterUp.includes('api_keys'))

  for (let i = 0; i < known.length; i++) await migrateDown(db)
  t.same(await tables(), [], 'down removes every table')
  t.same(await pendingMigrations(db, known), known)

  await migrateToLatest(db)
  t.same(await tables(), afterUp, 'up again restores the same tables')
  t.same(await pendingMigrations(db, known), [])
})

t.test('a second migrateToLatest is a no-op', async (t) => {
  const fresh = await freshDatabase()
  const database = await connect(testConfig({}, fresh), { pglite: fresh.pglite })
  t.teardown(async () => {
    await database.close()
    await fresh.drop()
  })
  const { results } = await migrateToLatest(database.db)
  t.same(results, [])
})
