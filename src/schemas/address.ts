// The address object used everywhere: the parts, or one line that shinsa splits itself.
import { Type, type Static } from '@sinclair/typebox'

const Part = (description: string, maxLength = 100) => Type.Optional(Type.String({ minLength: 1, maxLength, description }))

export const AddressSchema = Type.Object({
  postalCode: Part('郵便番号, e.g. 150-0043', 10),
  prefecture: Part('都道府県, e.g. 東京都'),
  city: Part('市区町村, e.g. 渋谷区 (or 大阪市北区; the city/town split may fall either way)'),
  town: Part('地名, e.g. 道玄坂'),
  block: Part('丁目・番地・号, e.g. 1-2-3, 1丁目2番3号, 一丁目二番三号', 50),
  room: Part('階・部屋番号, e.g. 101, 101号室, 3F', 50),
  building: Part('建物名 (never used for matching)', 200),
  line: Part('The whole address in one line, instead of the parts', 300),
}, {
  $id: 'Address',
  additionalProperties: false,
  description: 'Either `line`, or prefecture, city, town and block (room, building and postalCode optional)',
})

export type Address = Static<typeof AddressSchema>
