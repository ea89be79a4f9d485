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

/**
 * PostgreSQL errors quote offending values ('invalid input syntax for type …: "taro@example.jp"',
 * 'Key (email)=(…) already exists'): keep their SQLSTATE and where they came from, not the text.
 */
function errorSerializer (err: Error): SerializedError {
  const out = stdSerializers.err(err) as SerializedError
  if (typeof out.code === 'string' && /^[0-9A-Z]{5}$/.test(out.code) && out.severity !== undefined) {
    const summary = `PostgreSQL error ${out.code} (message withheld: it may quote request data)`
    out.message = summary
    out.stack = `${summary}\n${String(out.stack ?? '').split('\n').slice(1).join('\n')}`
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
