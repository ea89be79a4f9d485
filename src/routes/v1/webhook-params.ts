// Shared by the webhook routes: path parameters, and a URL or window from a request checked
// into what is stored (refusals name the field).
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { checkWindow, DEFAULT_WINDOW, type DigestWindow } from '../../domain/webhooks/digest-window.js'
import { checkWebhookUrl } from '../../domain/webhooks/endpoint-url.js'
import { Uuid } from '../../schemas/common.js'

export const WebhookParams = Type.Object({ id: Uuid('Endpoint id') }, { additionalProperties: false })
export const DeliveryParams = Type.Object({ id: Uuid('Endpoint id'), deliveryId: Uuid('Delivery id') }, { additionalProperties: false })

export function webhookUrl (url: string, allowLoopbackHttp: boolean): string {
  const checked = checkWebhookUrl(url, allowLoopbackHttp)
  if ('error' in checked) throw new AppError('VALIDATION_FAILED', `body.url ${checked.error}`, { errors: [{ path: 'body.url', message: checked.error }] })
  return checked.url
}

export function digestWindow (w: { start: string; end: string } | undefined): DigestWindow {
  if (w === undefined) return DEFAULT_WINDOW
  const checked = checkWindow(w)
  if (checked === null) {
    throw new AppError('VALIDATION_FAILED', 'body.window.start must be before body.window.end', {
      errors: [{ path: 'body.window.start', message: 'must be before window.end' }],
    })
  }
  return checked
}
