// tap `after`: drop the run's PostgreSQL template and any clone a crashed test file left behind.
import { readFile, rm } from 'node:fs/promises'
import pg from 'pg'
import { PG_TEMPLATE, TEMPLATE_DIR, quoteIdent } from './db-template.js'

const saved = await readFile(PG_TEMPLATE, 'utf8').catch(() => undefined)
if (saved !== undefined) {
  const { url, template } = JSON.parse(saved) as { url: string; template: string }
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  const { rows } = await admin.query<{ datname: string }>(
    'select datname from pg_database where datname = $1 or datname like $2', [template, `${template}\\_c\\_%`])
  for (const { datname } of rows) await admin.query(`drop database if exists ${quoteIdent(datname)} with (force)`)
  await admin.end()
}
await rm(TEMPLATE_DIR, { recursive: true, force: true })
