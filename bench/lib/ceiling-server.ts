// The ceiling, run as its own child process: a bare Fastify app with one route doing one
// indexed lookup — the most any route that touches the database once can hope to serve here.
// It tells its parent (IPC) the port and the id to ask for, then serves until SIGTERM.
import Fastify from 'fastify'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'

type Lookup = { byId: (id: string) => Promise<unknown>; id: string; close: () => Promise<void> }

// PostgreSQL: the bench database's real merchants table, through a pool of 10 like the server's.
async function postgres (url: string, id: string): Promise<Lookup> {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  await pool.query('select 1')
  return {
    id,
    byId: async (key) => (await pool.query('select id, name from merchants where id = $1', [key])).rows[0],
    close: () => pool.end(),
  }
}

// PGlite: a directory can be opened by one process only, and the server holds the bench one, so
// the ceiling opens its own PGlite in a separate directory with a merchants table of its own —
// reached the way the server reaches its own: node-postgres over PGlite's adapter, a pool of one.
async function pglite (dir: string): Promise<Lookup> {
  const db = await PGlite.create(dir)
  await db.exec(`
    create table merchants (id uuid primary key, name text not null);
    insert into merchants (id, name) select gen_random_uuid(), 'merchant ' || i from generate_series(1, 1000) i;
    analyze merchants;`)
  const picked = await db.query<{ id: string }>('select id from merchants order by id offset 500 limit 1')
  const pool = new pg.Pool({ ...createPgConfig(db), max: 1, idleTimeoutMillis: 0 })
  return {
    id: picked.rows[0]?.id ?? '',
    byId: async (key) => (await pool.query('select id, name from merchants where id = $1', [key])).rows[0],
    close: async () => { await pool.end(); await db.close() },
  }
}

const dbUrl = process.env.CEILING_DATABASE_URL
const lookup = dbUrl !== undefined
  ? await postgres(dbUrl, process.env.CEILING_MERCHANT_ID ?? '')
  : await pglite(process.env.CEILING_PGLITE_DIR ?? '')

const app = Fastify({ logger: false })
app.get<{ Params: { id: string } }>('/ceiling/:id', async (request, reply) => {
  const row = await lookup.byId(request.params.id)
  return row ?? reply.code(404).send({ error: 'not found' })
})
await app.listen({ port: 0, host: '127.0.0.1' })

let stopping = false
async function stop () {
  if (stopping) return
  stopping = true
  await app.close()
  await lookup.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
process.on('disconnect', () => void stop()) // the parent is gone: do not linger

const address = app.server.address()
process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0, id: lookup.id })
