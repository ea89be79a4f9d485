// A TCP proxy in front of PostgreSQL that a fault test controls: it passes traffic, resets every
// connection (a crash or restart), or holds new connections silently (a network black hole).
import net from 'node:net'

export type Proxy = {
  port: number
  /** Drops every open connection and answers new ones as `mode` says. */
  set: (mode: 'pass' | 'reset' | 'hold') => void
  close: () => Promise<void>
}

/** A proxy to PostgreSQL that can refuse (reset) every connection, or hold new ones silently. */
export async function proxyTo (target: URL): Promise<Proxy> {
  let mode: 'pass' | 'reset' | 'hold' = 'pass'
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    if (mode === 'reset') return client.resetAndDestroy()
    if (mode === 'hold') return
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    sockets.add(upstream)
    upstream.on('close', () => { sockets.delete(upstream); client.destroy() })
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    set: (m: typeof mode) => {
      mode = m
      if (m !== 'pass') for (const s of sockets) s.resetAndDestroy()
    },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()) }),
  }
}

