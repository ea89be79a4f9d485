// A client that writes HTTP/1.1 by hand over a real socket, so a test can send half a request
// and then nothing (fetch and undici always finish what they start).
import { connect, type Socket } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'

export type RawAnswer = {
  /** The answer parsed, shaped like app.inject's so assertProblem reads it; undefined if none came. */
  response?: LightMyRequestResponse
  /** Whether the server closed the connection. */
  closed: boolean
  /** Milliseconds from the last byte sent to the answer (or the close). */
  afterLastByteMs: number
}

export type RawClient = { socket: Socket; send: (bytes: string | Buffer) => Promise<void>; answer: Promise<RawAnswer> }

function parse (data: Buffer): LightMyRequestResponse | undefined {
  const end = data.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const [status, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const body = data.subarray(end + 4).toString('utf8')
  return { statusCode: Number(status!.split(' ')[1]), headers, body, payload: body, json: () => JSON.parse(body) } as unknown as LightMyRequestResponse
}

/** Opens a connection; the answer settles once the server has answered and closed, or `waitMs` passed. */
export function rawClient (port: number, waitMs: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const received: Buffer[] = []
    let lastSent = Date.now()
    let whole = () => {}
    socket.on('data', (b: Buffer) => {
      received.push(b)
      // A whole answer on a connection kept open settles too.
      const response = parse(Buffer.concat(received))
      const length = Number(response?.headers['content-length'] ?? NaN)
      if (response !== undefined && response.headers.connection !== 'close' && Buffer.byteLength(response.body) >= length) whole()
    })
    const answer = new Promise<RawAnswer>((resolve) => {
      const settle = (closed: boolean) => {
        clearTimeout(timer)
        resolve({ response: parse(Buffer.concat(received)), closed, afterLastByteMs: Date.now() - lastSent })
        socket.destroy()
      }
      const timer = setTimeout(() => settle(false), waitMs)
      whole = () => settle(false)
      socket.on('close', () => settle(true))
      socket.on('error', () => {})
    })
    const send = (bytes: string | Buffer) => new Promise<void>((resolve, reject) => {
      socket.write(bytes, (err) => {
        lastSent = Date.now()
        if (err) reject(err)
        else resolve()
      })
    })
    socket.once('connect', () => resolve({ socket, send, answer }))
    socket.once('error', reject)
  })
}
