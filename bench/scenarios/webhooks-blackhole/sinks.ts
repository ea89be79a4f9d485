// Local webhook receivers on 127.0.0.1 for the black-hole bench: healthy sinks that answer 200
// (held shut until `open()`, so a backlog builds first), and a black hole that accepts
// connections and never answers.
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { onCleanup } from '../../lib/cleanup.js'

export type Healthy = { url: string; distinct: () => number; open: () => void }

/** Healthy sinks sharing one gate: until `open`, every request waits; after it, 200 at once. */
export async function healthySinks (n: number): Promise<{ sinks: Healthy[]; open: () => void; distinct: () => number }> {
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => { release = resolve })
  const sinks: Healthy[] = []
  for (let i = 0; i < n; i++) {
    const ids = new Set<string>()
    const server: Server = createHttpServer((req, res) => {
      ids.add(String(req.headers['shinsa-delivery']))
      req.resume()
      req.on('end', () => { void gate.then(() => res.end('ok')) })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onCleanup('close a healthy webhook sink', () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
    sinks.push({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/${i}`, distinct: () => ids.size, open: release })
  }
  return { sinks, open: () => release(), distinct: () => sinks.reduce((sum, s) => sum + s.distinct(), 0) }
}

/** Accepts every connection and never answers: each POST ends only by the worker's timeout. */
export async function blackHole (): Promise<{ url: string; connections: () => number }> {
  let connections = 0
  const sockets = new Set<Socket>()
  const server = createNetServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('data', () => {})
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup('close the black hole', () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, connections: () => connections }
}
