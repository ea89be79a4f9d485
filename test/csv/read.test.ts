// The shared CSV reader: card numbers refused per line in every column, one error a line that
// names its own line and column without quoting it, and a bounded list of errors whatever comes in.
import t from 'tap'
import { MAX_KEPT_ERRORS, readCsv } from '../../src/csv/read.js'

async function read (text: string | Buffer, chunks = 1) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  const size = Math.ceil(bytes.length / chunks)
  const input = Array.from({ length: chunks }, (_, i) => bytes.subarray(i * size, (i + 1) * size))
  const csv = readCsv((async function * () { yield * input })(), { maxBytes: 1 << 30 })
  const records = []
  for await (const r of csv.records) records.push(r)
  return { records, errors: csv.errors, unlisted: csv.unlisted(), csv }
}

const PANS = ['4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '４１１１　１１１１　１１１１　１１１１', 'カード 5555 5555 5555 4444 です']

t.test('a field holding a full card number refuses its line, in any column, never quoting it', async (t) => {
  for (const pan of PANS) {
    for (const column of [1, 3, 8]) {
      const fields = ['O-1', 'a@example.jp', '東京都', '渋谷区', '道玄坂', '1-2-3', '202', 'ビル']
      fields[column - 1] = pan
      const { records, errors } = await read(`a,b,c\n${fields.join(',')}\nO-2,x,y\n`)
      t.same(records.map((r) => r.line), [1, 3], `${pan} in column ${column}: its line is not read`)
      t.same(errors, [{ line: 2, column, reason: `line 2 column ${column} holds a full card number (PAN): shinsa never stores one, the line is refused` }])
      t.notMatch(JSON.stringify(errors), /1111|5555|4444/)
    }
  }
  // A quoted field holding one, and one on a record spanning lines, are found too.
  const quoted = await read('a,b\n"x","4111 1111 1111 1111"\n"multi\nline 4111-1111-1111-1111",y\n')
  t.same(quoted.records.map((r) => r.line), [1])
  // A record spread over lines is refused on the line it starts on.
  t.same(quoted.errors.map((e) => [e.line, e.column]), [[2, 2], [3, 1]])
})

t.test('numbers that are not card numbers pass: Luhn-invalid, too short, order numbers, phones', async (t) => {
  const { records, errors } = await read('4111 1111 1111 1112,123456789012,090-1234-5678,2026-01-05,1-2-3\n')
  t.same(errors, [])
  t.same(records[0]?.fields, ['4111 1111 1111 1112', '123456789012', '090-1234-5678', '2026-01-05', '1-2-3'])
})

t.test('broken quoting: one error a line, on its own line and column, never quoting the field', async (t) => {
  // Two stray quotes in one field: one error (csv-parse reported the line twice).
  const two = await read('h1,h2,h3\n1,x"y",z\n2,ok,ok\n')
  t.same(two.errors, [{ line: 2, column: 2, reason: 'line 2 column 2 holds a quote (") inside an unquoted field: quote the whole field and double the quote ("")' }])
  t.same(two.records.map((r) => r.line), [1, 3])

  // Text after a closing quote: csv-parse read on and stopped again lines later, blaming line 4.
  const after = await read('h1,h2,h3\n1,"x"y,z\n2,ok,ok\n3,ok,ok\n')
  t.same(after.errors, [{ line: 2, column: 2, reason: 'line 2 column 2 has text after a closing quote: quote the whole field and double any quote inside it ("")' }])
  t.same(after.records.map((r) => r.line), [1, 3, 4])

  const open = await read('h1,h2,h3\n1,ok,ok\n2,a,"秘密の住所\n')
  t.same(open.errors, [{ line: 3, column: 3, reason: 'line 3 column 3 opens a quoted field that is never closed' }])

  // Separate lines each keep their own error.
  const many = await read('h1,h2\n1,a"b\n2,ok\n3,c"d\n4,e"f\n')
  t.same(many.errors.map((e) => e.line), [2, 4, 5])
  t.notMatch(JSON.stringify([two.errors, after.errors, open.errors, many.errors]), /秘密|"x|value is|a"b/)
})

t.test('RFC 4180 records: quoted commas, doubled quotes, line breaks inside quotes, BOM, CRLF', async (t) => {
  const { records, errors } = await read('\uFEFFa,b\r\n"x,y","say ""hi"""\r\n"multi\r\nline",z\r\n\r\n,\r\n"",""\r\nlast,"open', 3)
  t.same(errors, [{ line: 8, column: 2, reason: 'line 8 column 2 opens a quoted field that is never closed' }])
  t.same(records, [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['x,y', 'say "hi"'] },
    // A record spread over lines is numbered by the line it starts on.
    { line: 3, fields: ['multi\nline', 'z'] },
    { line: 6, fields: ['', ''] },
    { line: 7, fields: ['', ''] },
  ])
})

t.test('a fault ends its record at the end of its line: the next lines are read afresh', async (t) => {
  // csv-parse carried on inside the broken record of line 3 and blamed lines 4 and 6 for it.
  // Line 4's quote opens a field that closes on line 6 and is followed by text: one error on line
  // 4; line 7 then starts afresh (and has a stray quote of its own).
  const { records, errors } = await read('h1,h2,h3\n1,x,z\n2,"o"k,ok\n3,ok,"ok\n4,a,b\n5,"a\nb",c\n6,d,e\n')
  t.same(errors.map((e) => [e.line, e.column]), [[3, 2], [4, 3], [7, 1]])
  t.same(records.map((r) => r.line), [1, 2, 8])
  const fresh = await read('h1,h2\n2,"o"k\n3,ok\n4,"a\nb",c\n')
  t.same(fresh.errors.map((e) => [e.line, e.column]), [[2, 2]])
  t.same(fresh.records, [{ line: 1, fields: ['h1', 'h2'] }, { line: 3, fields: ['3', 'ok'] }, { line: 4, fields: ['4', 'a\nb', 'c'] }])

  // A quote closed on a later line than it opened, then text: refused on the line it began.
  const later = await read('a,"one\ntwo"x,b\nc,d\n')
  t.same(later.errors.map((e) => [e.line, e.column, e.reason.includes('after a closing quote')]), [[1, 2, true]])
  t.same(later.records.map((r) => r.line), [3])
})

t.test('a quoted field running on for ever is one error, not a growing buffer', async (t) => {
  const body = 'a,"' + 'x'.repeat(1000) + '\n' + Array.from({ length: 200 }, () => 'y'.repeat(1000)).join('\n') + '\nlast,1\n'
  const { records, errors } = await read(body, 5)
  t.equal(errors.length, 1)
  t.match(errors[0], { line: 1, column: 2, reason: 'line 1 column 2 opens a quoted field that runs on past 65536 characters' })
  // What follows the cut is read as lines of its own.
  t.same(records.at(-1), { line: 202, fields: ['last', '1'] })
})

t.test('an undecodable line inside a quoted record drops the record with it', async (t) => {
  const bytes = Buffer.concat([Buffer.from('a,"b\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('c,d\n')])
  const { records, errors } = await read(bytes)
  t.same(errors, [{ line: 2, reason: 'line 2 is not valid UTF-8 text' }])
  t.same(records, [{ line: 3, fields: ['c', 'd'] }])
})

t.test('undecodable lines: one error each, at most MAX_KEPT_ERRORS kept, the rest counted', async (t) => {
  const garbage = Buffer.alloc(40, 0xff)
  const lines = MAX_KEPT_ERRORS + 500
  const bytes = Buffer.concat([Buffer.from('a,b\n'), ...Array.from({ length: lines }, () => Buffer.concat([garbage, Buffer.from('\n')])), Buffer.from('c,d\n')])
  const { records, errors, unlisted, csv } = await read(bytes, 7)
  t.same(records.map((r) => r.line), [1, lines + 2])
  t.equal(errors.length, MAX_KEPT_ERRORS)
  t.equal(unlisted, 500)
  t.same(errors.slice(0, 2), [{ line: 2, reason: 'line 2 is not valid UTF-8 text' }, { line: 3, reason: 'line 3 is not valid UTF-8 text' }])
  t.same(new Set(errors.map((e) => e.line)).size, MAX_KEPT_ERRORS, 'one error a line')

  // Draining makes room and resets the count.
  const drained = csv.drain()
  t.equal(drained.errors.length, MAX_KEPT_ERRORS)
  t.equal(drained.unlisted, 500)
  t.same(csv.errors, [])
  t.equal(csv.unlisted(), 0)
})

t.test('every kind of fault counts against the same cap', async (t) => {
  const pan = Array.from({ length: MAX_KEPT_ERRORS + 3 }, (_, i) => `O-${i},4111 1111 1111 1111`).join('\n')
  const { records, errors, unlisted } = await read(`${pan}\nok,1\n`)
  t.same(records.map((r) => r.fields[0]), ['ok'])
  t.equal(errors.length, MAX_KEPT_ERRORS)
  t.equal(unlisted, 3)
})
