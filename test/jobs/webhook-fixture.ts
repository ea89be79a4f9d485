// A test app that may post webhooks to loopback, a merchant with a key, and the two calls the
// worker tests make through the API: add an immediate endpoint, queue test events for it.
import { bearer, build, createKey, createMerchant } from '../helper.js'

export async function webhookApp (t: Parameters<typeof build>[0]) {
  const built = await build(t, { env: { SHINSA_ALLOW_LOOPBACK_WEBHOOKS: 'true' } })
  const { app } = built
  const m = await createMerchant(app)
  const key = (await createKey(app, m.id)).key
  /** An immediate endpoint for orders elevated or higher; answers its id. */
  const endpoint = async (url: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(key), payload: { url, minLevel: 'elevated', mode: 'immediate' } })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json().id as string
  }
  const testEvents = async (id: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const res = await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/test`, headers: bearer(key) })
      if (res.statusCode !== 202) throw new Error(res.body)
    }
  }
  return { ...built, merchantId: m.id, key, endpoint, testEvents, silent: app.log.child({}, { level: 'silent' }) }
}
