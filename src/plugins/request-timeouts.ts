// How long a request may take to arrive, by route. Node's own requestTimeout is one number for
// the whole server (and checked only every 30 s): a 1 GiB upload needs an hour where a JSON call
// needs two minutes. So Node's is set past the longest upload, as a backstop (app.ts), and each
// request is timed here: SHINSA_REQUEST_TIMEOUT_MS to arrive whole; an upload route
// (`config: { upload: true }`) SHINSA_UPLOAD_TIMEOUT_SECONDS, and it is cut sooner when it sends
// nothing for SHINSA_UPLOAD_IDLE_SECONDS while the server waits for its bytes. A cut request is
// answered 408 REQUEST_TIMEOUT (problem+json, Connection: close) while the answer can still be
// written, else its socket is closed. Only arrival is timed: a handler is never cut mid-work,
// where a 5xx could hide a write that then commits.
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'
import { sendProblem } from './problem.js'

declare module 'fastify' {
  interface FastifyContextConfig { upload?: boolean }
}

export type TimeoutOptions = { requestTimeoutMs: number; uploadTimeoutMs: number; uploadIdleMs: number }

type Watch = {
  stop: () => void
  /** Set when the request was cut: what a reader of the body is told. */
  cut?: AppError
  /** A handler streams the body (uploadBody): it is told of a cut, and answers it. */
  streamed?: boolean
  /** Its wait for the next chunk, ended by a cut. */
  waiting?: (err: AppError) => void
}

const watches = new WeakMap<FastifyRequest, Watch>()

// When a handler reading the body was told of a cut but has not answered in this long, the
// socket is closed anyway.
const ANSWER_GRACE_MS = 30_000

function cut (request: FastifyRequest, reply: FastifyReply, watch: Watch, detail: string): void {
  watch.stop()
  const err = new AppError('REQUEST_TIMEOUT', detail)
  watch.cut = err
  const socket = request.raw.socket
  if (reply.sent || reply.raw.headersSent) {
    // Answered already (401 before the body was read, say): only the trickle is left to stop.
    socket.destroy()
    return
  }
  request.log.info({ route: request.routeOptions.url, received: socket.bytesRead }, 'request cut: it took too long to arrive')
  if (watch.streamed === true) {
    // The handler answers once it has tidied up (an import discards what it landed).
    watch.waiting?.(err)
    setTimeout(() => { if (!reply.sent) socket.destroy() }, ANSWER_GRACE_MS).unref()
    return
  }
  sendProblem(request, reply, 'REQUEST_TIMEOUT', detail)
}

/** Times one request's arrival; stopped once it has arrived whole or its socket is gone. */
function watch (request: FastifyRequest, reply: FastifyReply, opts: TimeoutOptions): Watch {
  const raw = request.raw
  const socket = raw.socket
  let timer: NodeJS.Timeout | undefined
  const w: Watch = { stop: () => { clearTimeout(timer); clearInterval(timer) } }
  if (request.routeOptions.config?.upload !== true) {
    timer = setTimeout(() => {
      if (!raw.complete && !socket.destroyed) cut(request, reply, w, `The request did not arrive within ${opts.requestTimeoutMs / 1000} s (SHINSA_REQUEST_TIMEOUT_MS)`)
    }, opts.requestTimeoutMs).unref()
    return w
  }
  const started = Date.now()
  let bytes = socket.bytesRead
  let lastProgress = started
  // A few looks per idle period: a stall is seen at most a quarter of it late.
  const tick = Math.max(50, Math.min(1000, Math.floor(opts.uploadIdleMs / 4)))
  timer = setInterval(() => {
    if (raw.complete || socket.destroyed) { w.stop(); return }
    const now = Date.now()
    // Bytes the server holds but has not read yet (it is busy landing a chunk) are the server's
    // delay, not the client's: a client is idle only while the server waits for it.
    if (socket.bytesRead !== bytes || raw.readableLength > 0) {
      bytes = socket.bytesRead
      lastProgress = now
    } else if (now - lastProgress >= opts.uploadIdleMs) {
      cut(request, reply, w, `The upload sent nothing for ${opts.uploadIdleMs / 1000} s (SHINSA_UPLOAD_IDLE_SECONDS); nothing of it was kept`)
      return
    }
    if (now - started >= opts.uploadTimeoutMs) {
      cut(request, reply, w, `The upload did not arrive within ${opts.uploadTimeoutMs / 1000} s (SHINSA_UPLOAD_TIMEOUT_SECONDS); nothing of it was kept`)
    }
  }, tick).unref()
  return w
}

/**
 * The body of an upload route, chunk by chunk, for a handler that streams it: a cut (too slow,
 * stalled) ends the wait for the next chunk with 408 REQUEST_TIMEOUT, and a client that hangs up
 * mid-upload with 400, so the reader can tidy up before the answer goes.
 */
export async function * uploadBody (request: FastifyRequest): AsyncGenerator<Buffer> {
  const w = watches.get(request)
  if (w !== undefined) w.streamed = true
  const chunks = (request.body as unknown as IncomingMessage)[Symbol.asyncIterator]()
  for (;;) {
    if (w?.cut !== undefined) throw w.cut
    const next = chunks.next() as Promise<IteratorResult<Buffer>>
    let result: IteratorResult<Buffer>
    try {
      result = w === undefined
        ? await next
        : await new Promise<IteratorResult<Buffer>>((resolve, reject) => {
          w.waiting = reject
          next.then(resolve, reject)
        })
    } catch (err) {
      // Left waiting: the socket closes after the answer, and that read then fails unheard.
      next.catch(() => {})
      if (err instanceof AppError) throw err
      throw new AppError('BAD_REQUEST', 'The connection closed before the upload was complete; nothing of it was kept', { cause: err })
    } finally {
      if (w !== undefined) w.waiting = undefined
    }
    if (result.done === true) return
    yield result.value
  }
}

export default fp<TimeoutOptions>(async (app, opts) => {
  app.addHook('onRequest', (request, reply, done) => {
    // app.inject's requests have no socket to time (nor `complete`): only real ones are watched.
    if (typeof request.raw.complete !== 'boolean') return done()
    watches.set(request, watch(request, reply, opts))
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    // Answered before its body was read whole (refused, cut): the rest is never read, so the
    // connection cannot carry another request. Node closes it once the answer is out.
    if (request.raw.complete === false) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addHook('onResponse', (request, _reply, done) => {
    // A body still arriving after the answer (refused before it was read) stays timed.
    if (request.raw.complete) watches.get(request)?.stop()
    done()
  })
}, { name: 'request-timeouts' })
