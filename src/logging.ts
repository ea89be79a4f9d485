// pino options: JSON lines, with secrets and personal data redacted by constant paths.
import type { LoggerOptions } from 'pino'

// Fields that may hold personal data (names, addresses, phones, e-mails) or secrets, wherever
// an object carrying them is logged, up to two levels deep.
const SENSITIVE = ['authorization', 'key', 'secret', 'token', 'password', 'email', 'phone', 'name', 'nameKana', 'address', 'line', 'ip']

export function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: {
      paths: [
        'req.headers.authorization', 'headers.authorization', 'err.detail', 'err.cause.detail', 'err.parameters',
        ...SENSITIVE, ...SENSITIVE.map((k) => `*.${k}`),
      ],
      censor: '[redacted]',
    },
    serializers: {
      // Never log request objects whole: their headers carry the bearer credential.
      req: () => undefined,
    },
  }
}
