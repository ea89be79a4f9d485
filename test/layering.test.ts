// The layering the code is shaped by, checked on the sources: routes → decisions → domain and db;
// domain/ is pure (no Fastify, no database, no layer above it); db/ maps rows and takes only
// types from the domain (it decides nothing); decisions/ knows no HTTP.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'

const SRC = new URL('../src/', import.meta.url).pathname

function files (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** Every import of a file: its specifier and whether it is type-only. */
function imports (path: string): Array<{ from: string; typeOnly: boolean }> {
  const text = readFileSync(path, 'utf8')
  return [...text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gms)].map((m) => ({ from: m[2]!, typeOnly: m[1] !== undefined }))
}

const layer = (from: string, file: string) => relative(SRC, join(file, '..', from)).split('/')[0]!

t.test('the walk reads the imports (a walk that finds none proves nothing)', async (t) => {
  t.ok(files(join(SRC, 'domain')).flatMap(imports).length > 100)
  t.ok(imports(join(SRC, 'db', 'orders.ts')).some((i) => i.typeOnly && i.from.includes('domain/rules/decide')))
})

t.test('domain/ imports neither Fastify nor the database nor any layer above it', async (t) => {
  const bad = files(join(SRC, 'domain')).flatMap((f) => imports(f)
    .filter((i) => /^(fastify|@fastify\/|kysely|pg|@electric-sql\/)/.test(i.from) ||
      (i.from.startsWith('.') && ['db', 'decisions', 'routes', 'plugins', 'schemas', 'jobs', 'app.ts', 'errors.ts'].includes(layer(i.from, f))))
    .map((i) => `${relative(SRC, f)} → ${i.from}`))
  t.same(bad, [])
})

t.test('db/ takes only types from the domain, and nothing from above it', async (t) => {
  const bad = files(join(SRC, 'db')).flatMap((f) => imports(f)
    .filter((i) => i.from.startsWith('.') && ((layer(i.from, f) === 'domain' && !i.typeOnly) || ['decisions', 'routes', 'plugins', 'jobs'].includes(layer(i.from, f))))
    .map((i) => `${relative(SRC, f)} → ${i.from}`))
  t.same(bad, [])
})

t.test('decisions/ knows no HTTP and no route', async (t) => {
  const bad = files(join(SRC, 'decisions')).flatMap((f) => imports(f)
    .filter((i) => /^(fastify|@fastify\/)/.test(i.from) || (i.from.startsWith('.') && ['routes', 'plugins'].includes(layer(i.from, f))))
    .map((i) => `${relative(SRC, f)} → ${i.from}`))
  t.same(bad, [])
})
