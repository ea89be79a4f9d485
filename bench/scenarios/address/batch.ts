// The batch step: a 10,000-row 不正住所照合 batch end to end — POST /v1/address-match-batches
// (seed 001's 8 columns) until GET …/{id} says done. The endpoint may not exist yet: a 404 on the
// POST skips the step ("batch endpoint not available"), so the step turns itself on once it ships.
import { request } from 'undici'
import { setTimeout as sleep } from 'node:timers/promises'
import { field } from './rows.js'
import type { Address } from './queries.js'

export const BATCH_HEADER = '注文番号,メールアドレス,都道府県,市区町村,地名,丁目・番地・号,階・部屋番号,建物名'

export type BatchRun =
  | { available: false; note: string }
  | { available: true; seconds: number; status: string; body: unknown }

/** Seed 001's CSV for the given queries, with its header. */
export function batchCsv (queries: ReadonlyArray<{ orderId: string; email: string; address: Address }>): string {
  const lines = queries.map(({ orderId, email, address: a }) =>
    [orderId, email, a.prefecture, a.city, a.town, a.block, a.room ?? '', a.building ?? ''].map(field).join(','))
  return `${BATCH_HEADER}\n${lines.join('\n')}\n`
}

async function call (method: string, url: URL, apiKey: string, csv?: string): Promise<{ status: number; body: any }> {
  const res = await request(url, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(csv === undefined ? {} : { 'content-type': 'text/csv' }) },
    body: csv,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  })
  const text = await res.body.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch { /* not JSON: keep the text for the error message */ }
  return { status: res.statusCode, body }
}

/** Runs the batch and polls every 50 ms; gives up after `timeoutMs` (status then says so). */
export async function runBatch (baseUrl: string, apiKey: string, csv: string, timeoutMs = 120_000): Promise<BatchRun> {
  const start = performance.now()
  const created = await call('POST', new URL('/v1/address-match-batches', baseUrl), apiKey, csv)
  if (created.status === 404) return { available: false, note: 'batch endpoint not available (POST /v1/address-match-batches answered 404)' }
  if (created.status !== 202 || typeof created.body?.id !== 'string') {
    throw new Error(`POST /v1/address-match-batches answered ${created.status}: ${JSON.stringify(created.body).slice(0, 500)}`)
  }
  const url = new URL(`/v1/address-match-batches/${encodeURIComponent(created.body.id)}`, baseUrl)
  let last = created
  while (performance.now() - start < timeoutMs) {
    last = await call('GET', url, apiKey)
    if (last.status !== 200) throw new Error(`GET ${url.pathname} answered ${last.status}: ${JSON.stringify(last.body).slice(0, 500)}`)
    if (last.body?.status === 'done' || last.body?.status === 'failed') break
    await sleep(50)
  }
  const status = String(last.body?.status ?? 'unknown')
  return { available: true, seconds: (performance.now() - start) / 1000, status: status === 'done' || status === 'failed' ? status : `still ${status} after ${timeoutMs / 1000} s`, body: last.body }
}
