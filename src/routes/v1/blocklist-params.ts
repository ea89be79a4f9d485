// Shared by the blocklist routes: the entry path parameter and the page cursor.
import { Type } from '@sinclair/typebox'
import { AppError } from '../../errors.js'
import { Uuid } from '../../schemas/common.js'

export const BlocklistParams = Type.Object({ id: Uuid('Entry id') }, { additionalProperties: false })

/** Opaque cursor: the last entry's creation time and id (the page is newest first). */
export function encodeCursor (createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url')
}

export function decodeCursor (cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const createdAt = new Date(at ?? '')
  if (id === undefined || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'querystring.after: not a cursor this API gave', {
      errors: [{ path: 'querystring.after', message: 'must be the nextCursor of a previous page' }],
    })
  }
  return { createdAt, id }
}
