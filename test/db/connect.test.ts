// The embedded database directory belongs to one process at a time.
import t from 'tap'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { closePGlite, openPGlite } from '../../src/db/connect.js'

t.test('a data directory in use by a live process is refused; a dead owner\'s lock is taken over', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'shinsa-lock-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const lock = path.join(dir, '.shinsa.lock')

  await writeFile(lock, String(process.ppid)) // the tap runner: alive
  await t.rejects(openPGlite(dir), /is in use by process \d+: the embedded database allows one process/)

  await writeFile(lock, '999999999') // no such process
  const pglite = await openPGlite(dir)
  t.equal(await readFile(lock, 'utf8'), String(process.pid), 'the lock names this process')
  await closePGlite(pglite)
  await t.rejects(readFile(lock, 'utf8'), { code: 'ENOENT' }, 'released on close')
})
