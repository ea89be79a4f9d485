// pino options: JSON lines, with secrets and personal data redacted by constant paths, and
// database errors stripped of the values PostgreSQL quotes in its messages.
import { stdSerializers, type LoggerOptions } from 'pino'

// Fields that may hold personal data (names, addresses, phones, e-mails) or secrets, wherever an
// object carrying them is logged, up to four levels deep (order.shipTo.address.line, say).
const SENSITIVE = [
  'authorization', 'key', 'secret', 'token', 'password',
  'email', 'phone', 'name', 'nameKana', 'holderName', 'address', 'line', 'ip',
]
const DEPTHS = ['', '*.', '*.*.', '*.*.*.']

type SerializedError = ReturnType<typeof stdSerializers.err> & { code?: unknown; severity?: unknown; detail?: unknown; where?: unknown }

const isPostgresError = (e: { code?: unknown; severity?: unknown }) =>
  typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity !== undefined
const withheld = (code: unknown) => `PostgreSQL error ${String(code)} (message withheld: it may quote request data)`

/**
 * PostgreSQL errors quote offending values ('invalid input syntax for type …: "taro@example.jp"',
 * 'Key (email)=(…) already exists'): keep their SQLSTATE and where they came from, not the text —
 * the error's own, or a cause's (pino folds the causes' messages and stacks into the error's).
 */
function errorSerializer (err: Error): SerializedError {
  const out = stdSerializers.err(err) as SerializedError
  const chain: Array<Error & { code?: unknown; severity?: unknown }> = []
  for (let e: unknown = err; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e)
  if (chain.some(isPostgresError)) {
    const text = (e: (typeof chain)[number]) => isPostgresError(e) ? withheld(e.code) : e.message
    const frames = (e: (typeof chain)[number]) => String(e.stack ?? '').split('\n').slice(1).join('\n')
    out.message = chain.map(text).join(': ')
    out.stack = chain.map((e, i) => `${i > 0 ? 'caused by: ' : ''}${e.name}: ${text(e)}\n${frames(e)}`).join('\n')
    delete out.detail
    delete out.where
  }
  // node-postgres hangs the client on some errors: its whole state is noise (and no one's business).
  delete (out as { client?: unknown }).client
  return out
}

/**
 * Redaction's replacement. The paths are by name, so an error's own `name` (its class) and a
 * PostgreSQL error's `line` (a source line number) would be hidden too: those are kept when they
 * are exactly that, and anything else at those paths is censored.
 */
function censor (value: unknown, path: string[]): unknown {
  if (path[0] === 'err' && typeof value === 'string') {
    const key = path[path.length - 1]
    if (key === 'name' && /^[A-Z][A-Za-z]{0,40}(Error|Exception)$/.test(value)) return value
    if (key === 'line' && /^\d{1,6}$/.test(value)) return value
  }
  return '[redacted]'
}

export function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: {
      paths: [
        'err.detail', 'err.cause.detail', 'err.parameters',
        ...DEPTHS.flatMap((d) => SENSITIVE.map((k) => `${d}${k}`)),
      ],
      censor,
    },
    serializers: {
      err: errorSerializer,
      // Never log request objects whole: their headers carry the bearer credential.
      req: () => undefined,
    },
  }
}
