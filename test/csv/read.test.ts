// The shared CSV reader: card numbers refused per line in every column, one error a line that
// names its own line and column without quoting it, and a bounded list of errors whatever comes in.
import t from 'tap'
import { MAX_KEPT_ERRORS, faultLine, readCsv } from '../../src/csv/read.js'

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
  t.same(quoted.errors.map((e) => [e.line, e.column]), [[2, 2], [4, 1]])
})

t.test('numbers that are not card numbers pass: Luhn-invalid, too short, order numbers, phones', async (t) => {
  const { records, errors } = await read('4111 1111 1111 1112,123456789012,090-1234-5678,2026-01-05,1-2-3\n')
  t.same(errors, [])
  t.same(records[0]?.fields, ['4111 1111 1111 1112', '123456789012', '090-1234-5678', '2026-01-05', '1-2-3'])
})

t.test('broken quoting: one error a line, on its own line and column, never quoting the field', async (t) => {
  // Two stray quotes in one field: csv-parse reports the line twice.
  const two = await read('h1,h2,h3\n1,x"y",z\n2,ok,ok\n')
  t.same(two.errors, [{ line: 2, column: 2, reason: 'line 2 column 2 holds a quote (") inside an unquoted field: quote the whole field and double the quote ("")' }])
  t.same(two.records.map((r) => r.line), [1, 3])

  // Text after a closing quote: csv-parse reads on and stops again lines later, counting to there.
  const after = await read('h1,h2,h3\n1,"x"y,z\n2,ok,ok\n3,ok,ok\n')
  t.same(after.errors.map((e) => e.line), [2], `${JSON.stringify(after.errors)}`)
  t.match(after.errors[0], { column: 2, reason: /^line 2 column 2 has text after a closing quote/ })

  const open = await read('h1,h2,h3\n1,ok,ok\n2,a,"秘密の住所\n')
  t.same(open.errors, [{ line: 3, column: 3, reason: 'line 3 column 3 opens a quoted field that is never closed' }])

  // Separate lines each keep their own error.
  const many = await read('h1,h2\n1,a"b\n2,ok\n3,c"d\n4,e"f\n')
  t.same(many.errors.map((e) => e.line), [2, 4, 5])
  t.notMatch(JSON.stringify([two.errors, after.errors, open.errors, many.errors]), /秘密|"x|value is|a"b/)
})

t.test('faultLine: the line the faulty record began on', async (t) => {
  t.equal(faultLine({ lines: 2, raw: '1,x"' }), 2)
  t.equal(faultLine({ lines: 6, raw: '2,"o"k,ok\n3,ok,"ok\n4,a,b\n5,"' }), 3)
  t.equal(faultLine({ lines: 9, raw: '7,a,"b\n' }), 9)
  t.equal(faultLine({}), 1)
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
