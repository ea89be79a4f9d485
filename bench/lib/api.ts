// Calls to the server under test for setting up a run: one JSON request at a time, bounded in time.
// `any`: the JSON shape is the route's, known to the caller (as with fetch's res.json()).
export type ApiAnswer = { status: number; body: any }

export type Api = (method: string, path: string, opts?: { token?: string; body?: unknown; expect?: number }) => Promise<ApiAnswer>

/** An API client for `baseUrl`; `expect` (default: any 2xx) turns other statuses into errors. */
export function apiClient (baseUrl: string): Api {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = {}
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await res.text()
    const ok = opts.expect === undefined ? res.status >= 200 && res.status < 300 : res.status === opts.expect
    if (!ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`)
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) }
  }
}

/** The operator creates the bench merchant and gives it a key with every scope. */
export async function bootstrap (api: Api, adminToken: string): Promise<{ merchantId: string; apiKey: string }> {
  const merchant = await api('POST', '/v1/merchants', { token: adminToken, body: { name: 'bench' }, expect: 201 })
  const merchantId = String(merchant.body.id)
  const key = await api('POST', `/v1/merchants/${merchantId}/api-keys`, { token: adminToken, body: { preset: 'full' }, expect: 201 })
  return { merchantId, apiKey: String(key.body.key) }
}
