// The part after the block: building name (建物名) and room (階・部屋番号), with the room in one
// canonical spelling: 202 = 202号 = 202号室, 3F = 3階, B1 = B1F = 地下1階.

export type RoomSplit = { room: string | null; building: string | null }

const BASEMENT = /(?:地下|B)\s*([0-9]{1,2})\s*(?:階|F)?$/
const FLOOR = /([0-9]+)\s*(?:階|F)$/
const ROOM = /#?((?:[A-Z]-?)?[0-9]+(?:-?[A-Z])?)\s*(?:号室|号|室)?$/
const TRIM = /^[\s,、。・\-ー]+|[\s,、。・\-ー]+$/g

/** Splits prepared text into building and room: the room is the trailing number or letter part. */
export function splitRoom(text: string): RoomSplit {
  const given = text.replace(TRIM, '')
  const upper = given.toUpperCase()
  const s = upper.length === given.length ? upper : given
  if (s === '') return { room: null, building: null }
  let m: RegExpExecArray | null
  let room: string | null = null
  if ((m = BASEMENT.exec(s)) !== null) room = `B${Number(m[1])}`
  else if ((m = FLOOR.exec(s)) !== null) room = `${Number(m[1])}F`
  else if ((m = ROOM.exec(s)) !== null) room = m[1]!.replace(/-/g, '').replace(/^0+(?=[0-9])/, '')
  if (m === null) return { room: null, building: given }
  const building = given.slice(0, m.index).replace(TRIM, '')
  return { room, building: building === '' ? null : building }
}

/** The canonical room of a room field; text with no room pattern is kept whole, spaces dropped. */
export function canonicalRoom(text: string): string | null {
  const { room, building } = splitRoom(text)
  return room ?? (building === null ? null : building.replace(/ /g, ''))
}
