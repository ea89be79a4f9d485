// The threads a backtest decides its pages on: each page split evenly across them, answers put
// back in order. Under tsx (development, tests) a thread registers tsx before loading the .ts entry.
import { Worker } from 'node:worker_threads'
import type { RulesetBody } from '../domain/rules/ruleset.js'
import type { Recommendation, Thresholds } from '../domain/scoring/score.js'
import type { ThreadAnswer, ThreadRequest } from './backtest-thread.js'

export type DecideThreads = {
  decide: (features: Array<string | null>, thresholds: Array<Thresholds | null>) => Promise<Array<Recommendation | null>>
  close: () => Promise<void>
}

function spawn (): Worker {
  const entry = new URL(`./backtest-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  const workerData = { backtestThread: true }
  if (entry.pathname.endsWith('.js')) return new Worker(entry, { workerData })
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}) })`, { eval: true, workerData })
}

export function startDecideThreads (count: number, ruleset: { version: number; body: RulesetBody }): DecideThreads {
  const waiting = new Map<number, { resolve: (r: Array<Recommendation | null>) => void; reject: (e: Error) => void }>()
  let nextId = 0
  let broken: Error | undefined
  const fail = (err: Error) => {
    broken ??= err
    for (const w of waiting.values()) w.reject(err)
    waiting.clear()
  }
  const threads = Array.from({ length: count }, () => {
    const w = spawn()
    w.on('message', (a: ThreadAnswer) => {
      const p = waiting.get(a.id)
      waiting.delete(a.id)
      if ('error' in a) p?.reject(new Error(a.error))
      else p?.resolve(a.recommendations)
    })
    w.on('error', fail)
    w.on('exit', (code) => { if (code !== 0) fail(new Error(`backtest thread exited with ${code}`)) })
    w.postMessage({ kind: 'ruleset', version: ruleset.version, body: ruleset.body } satisfies ThreadRequest)
    return w
  })

  const ask = (w: Worker, features: Array<string | null>, thresholds: Array<Thresholds | null>) =>
    new Promise<Array<Recommendation | null>>((resolve, reject) => {
      if (broken !== undefined) { reject(broken); return }
      const id = nextId++
      waiting.set(id, { resolve, reject })
      w.postMessage({ kind: 'page', id, features, thresholds } satisfies ThreadRequest)
    })

  return {
    decide: async (features, thresholds) => {
      const size = Math.ceil(features.length / threads.length)
      const parts = await Promise.all(threads.map((w, i) =>
        ask(w, features.slice(i * size, (i + 1) * size), thresholds.slice(i * size, (i + 1) * size))))
      return parts.flat()
    },
    close: async () => {
      for (const w of threads) w.removeAllListeners('exit')
      await Promise.all(threads.map((w) => w.terminate()))
    },
  }
}
