// Where the test run's migrated template database lives. test/setup.ts (tap's `before`) makes it
// once per run; every test file clones it, so no test depends on a database seeded by hand.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The before script, the test files and the after script are all children of one tap runner:
// its pid names this run's template, so two runs in one checkout never share (or delete) one.
export const TEMPLATE_DIR = fileURLToPath(new URL(`../.tap/shinsa-${process.ppid}`, import.meta.url))
export const PGLITE_TEMPLATE = path.join(TEMPLATE_DIR, 'pglite-template.tar')
export const PG_TEMPLATE = path.join(TEMPLATE_DIR, 'pg-template.json')

/** The same server and credentials as `url`, another database. */
export function withDatabase (url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`
