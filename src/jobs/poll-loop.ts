// The loop a claiming worker runs: one round after another while there is work, a poll interval
// of rest when there is none, woken early by kick() (work was just queued). A failed round is
// logged and retried at the next one. The worker says when it stops running.
import type { FastifyBaseLogger } from 'fastify'

export type PollLoop = {
  kick: () => void
  /** Wakes the loop and waits for its round to end; call after the worker stopped running. */
  stop: () => Promise<void>
}

export function pollLoop (
  runOnce: () => Promise<boolean>,
  opts: { running: () => boolean; pollMs: number; log: FastifyBaseLogger; failure: string; enabled: boolean }
): PollLoop {
  let wake: (() => void) | undefined
  let kicked = false
  const loop = (async () => {
    while (opts.running() && opts.enabled) {
      let worked = false
      try {
        worked = await runOnce()
      } catch (err) {
        opts.log.error({ err }, opts.failure)
      }
      if (worked || !opts.running()) continue
      if (kicked) { kicked = false; continue }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.pollMs)
        wake = () => { clearTimeout(timer); resolve() }
      })
      wake = undefined
    }
  })()
  return {
    kick: () => { kicked = true; wake?.() },
    stop: async () => {
      wake?.()
      await loop
    },
  }
}
