// When an hourly digest goes out (seed 000 mails hourly between 7:00 and 22:00 JST). All times
// are in Asia/Tokyo. JST is UTC+9 all year — Japan has had no daylight saving since 1951 — so
// fixed +9 h arithmetic is exact and needs no time-zone database.
//
// Digests go at the top of each hour, so a window is whole hours: 'HH:00'–'HH:00', start before
// end, both ends sending times (07:00–22:00 sends at 07:00, 08:00 … 22:00: sixteen digests).
// A window across midnight (22:00–02:00) is refused rather than guessed at.

export type DigestWindow = { start: string; end: string }
export const DEFAULT_WINDOW: DigestWindow = { start: '07:00', end: '22:00' }

const HOUR = 3_600_000
const DAY = 24 * HOUR
const JST_OFFSET = 9 * HOUR

/** A window from its two times, normalized to 'HH:MM', or null when not whole hours with start < end. */
export function checkWindow(w: { start: string; end: string }): DigestWindow | null {
  const start = wholeHour(w.start)
  const end = wholeHour(w.end)
  if (start === null || end === null || start >= end) return null
  return { start: hhmm(start), end: hhmm(end) }
}

/** '07:00-22:00' (also with –, 〜 or ~, spaces, and single-digit hours), or null. */
export function parseWindow(text: string): DigestWindow | null {
  const m = /^\s*(\d{1,2}:\d{2})\s*[-–〜~]\s*(\d{1,2}:\d{2})\s*$/.exec(text)
  return m ? checkWindow({ start: m[1]!, end: m[2]! }) : null
}

/**
 * When the digest carrying an event at `eventAt` is sent: the next top of the hour strictly after
 * the event if that hour is a sending time, otherwise the first digest of the window that
 * follows. The slot is always later than the event, so a digest sent at S carries events from
 * [S − 1 h, S) — or, for the first of the day, everything since the last digest the day before.
 */
export function digestSlot(eventAt: Date, window: DigestWindow): Date {
  const { start, end } = hours(window)
  const nextHour = Math.floor((eventAt.getTime() + JST_OFFSET) / HOUR) * HOUR + HOUR // JST clock, as if UTC
  const hour = new Date(nextHour).getUTCHours()
  if (hour >= start && hour <= end) return new Date(nextHour - JST_OFFSET)
  // Before the window: today's first digest; after it: tomorrow's.
  const day = Math.floor(nextHour / DAY) * DAY + (hour > end ? DAY : 0)
  return new Date(day + start * HOUR - JST_OFFSET)
}

/** Whether `at` falls within the window, both ends included (07:00:00.000 to 22:00:00.000 JST). */
export function isInsideWindow(at: Date, window: DigestWindow): boolean {
  const { start, end } = hours(window)
  const msOfDay = (((at.getTime() + JST_OFFSET) % DAY) + DAY) % DAY
  return msOfDay >= start * HOUR && msOfDay <= end * HOUR
}

function hours(window: DigestWindow): { start: number; end: number } {
  const checked = checkWindow(window)
  if (checked === null) throw new RangeError(`not a digest window: ${JSON.stringify(window)}`)
  return { start: wholeHour(checked.start)!, end: wholeHour(checked.end)! }
}

/** The hour of 'H:00' or 'HH:00' (0–23), or null for anything else, minutes included. */
function wholeHour(text: string): number | null {
  const m = /^(\d{1,2}):00$/.exec(text)
  const h = m ? Number(m[1]) : NaN
  return h >= 0 && h <= 23 ? h : null
}

const hhmm = (hour: number) => `${String(hour).padStart(2, '0')}:00`
