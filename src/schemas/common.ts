// Small schemas shared by many routes.
import { Type } from '@sinclair/typebox'

export const Uuid = (description: string) => Type.String({ format: 'uuid', description })

export const DateTime = (description: string) => Type.String({ format: 'date-time', description })

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' })),
  after: Type.Optional(Type.String({ format: 'uuid', description: 'The nextCursor of the previous page' })),
}, { additionalProperties: false })

export const NextCursor = Type.Union([Type.String(), Type.Null()], {
  description: 'Pass as `after` for the next page; null on the last page',
})

/** A string enum (`enum` in JSON Schema), for clearer errors and documents than a union of literals. */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
