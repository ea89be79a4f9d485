// Undo-on-exit: everything the bench starts or creates registers its undo here, and the undos
// run once, newest first, whether the run ends normally, throws, or is interrupted (Ctrl-C).
export type Undo = () => Promise<void> | void

const undos: Array<{ what: string; undo: Undo }> = []
let running: Promise<void> | undefined
let signalled = false

/** True once SIGINT/SIGTERM arrived: failures after that are the interruption, not news. */
export function interrupted (): boolean {
  return signalled
}

/** Registers an undo; `what` names it in the warning printed if it fails. */
export function onCleanup (what: string, undo: Undo): void {
  undos.push({ what, undo })
}

/** Runs every registered undo once (later calls share the first run). Never throws. */
export function cleanup (): Promise<void> {
  running ??= (async () => {
    for (let next = undos.pop(); next !== undefined; next = undos.pop()) {
      try {
        await next.undo()
      } catch (err) {
        console.error(`bench: cleanup failed (${next.what}): ${(err as Error).message}`)
      }
    }
  })()
  return running
}

/** On SIGINT/SIGTERM: clean up, then exit 130/143 — the run in progress is abandoned. */
export function cleanupOnSignals (onSignal: () => void = () => {}): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      signalled = true
      console.error(`\nbench: ${signal}, cleaning up`)
      onSignal()
      void cleanup().finally(() => process.exit(code))
    })
  }
}
