// Local webhook receivers on 127.0.0.1 for the black-hole bench: healthy sinks that answer 200
// (held shut until `open()`, so a backlog builds first), and a black hole that accepts
// connections and never answers.
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { onCleanup } from '../../lib/cleanup.js'

export type Healthy = { url: string; distinct: () => number; open: () => void }

/**
 * Healthy sinks sharing one gate: until `open`, every request waits — at most `holdMs` (below the
 * worker's timeout: a held POST must not time out and count against its endpoint's circuit before
 * the drain is timed); after it, 200 at once.
 */
export async function healthySinks (n: number, holdMs: number): Promise<{ sinks: Healthy[]; open: () => void; distinct: () => number }> {
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => { release = resolve })
  const sinks: Healthy[] = []
  for (let i = 0; i < n; i++) {
    const ids = new Set<string>()
    const server: Server = createHttpServer((req, res) => {
      ids.add(String(req.headers['shinsa-delivery']))
      req.resume()
      req.on('end', () => {
        let timer: NodeJS.Timeout | undefined
        const held = new Promise<void>((resolve) => { timer = setTimeout(resolve, holdMs) })
        void Promise.race([gate, held]).then(() => { clearTimeout(timer); res.end('ok') })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onCleanup('close a healthy webhook sink', () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
    sinks.push({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/${i}`, distinct: () => ids.size, open: release })
  }
  return { sinks, open: () => release(), distinct: () => sinks.reduce((sum, s) => sum + s.distinct(), 0) }
}

export type BlackHole = { url: string; connections: () => number; open: () => number; mostOpen: () => number }

/**
 * Accepts every connection and never answers: each POST ends only by the worker's timeout.
 * Counts connections accepted, open now and open at most at once; a socket counts as closed from
 * its FIN (`end`), so one the worker has just closed is not counted beside the one it opens next.
 */
export async function blackHole (): Promise<BlackHole> {
  let connections = 0
  let most = 0
  const sockets = new Set<Socket>()
  const open = new Set<Socket>()
  const server = createNetServer({ allowHalfOpen: true }, (socket) => {
    connections++
    sockets.add(socket)
    open.add(socket)
    most = Math.max(most, open.size)
    socket.on('data', () => {})
    socket.on('error', () => {})
    socket.on('end', () => { open.delete(socket); socket.destroy() })
    socket.on('close', () => { open.delete(socket); sockets.delete(socket) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup('close the black hole', () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()) }))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    connections: () => connections, open: () => open.size, mostOpen: () => most,
  }
}
