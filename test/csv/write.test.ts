// The CSV writer: cells a spreadsheet would evaluate get a leading ' (OWASP CSV injection);
// numbers, dates and ordinary text stay as they are; quoting stays RFC 4180.
import t from 'tap'
import { csvLines, safeCell } from '../../src/csv/write.js'

t.test('a cell a spreadsheet would evaluate is prefixed with a quote', async (t) => {
  const cases: Array<[string, string]> = [
    ['=1+2', "'=1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['+1', "'+1"],
    ['-1+2', "'-1+2"],
    ['=HYPERLINK("https://evil.example","x")', `'=HYPERLINK("https://evil.example","x")`],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['-', "'-"],
    // Phone numbers written with a leading + are expressions to Excel.
    ['+81-90-1234-5678', "'+81-90-1234-5678"],
    ['+819012345678', "'+819012345678"],
  ]
  for (const [input, expected] of cases) t.equal(safeCell(input), expected, JSON.stringify(input))
})

t.test('plain numbers and ordinary text stay as they are', async (t) => {
  for (const input of ['-5', '-12.5', '0', '42', '3.14', '090-1234-5678', '2026-01-05', '1-2-3', 'O-1', '東京都', '＝全角', ' =1', 'a=b', '']) {
    t.equal(safeCell(input), input, JSON.stringify(input))
  }
  t.equal(safeCell(-5), '-5')
  t.equal(safeCell(3), '3')
  t.equal(safeCell(null), '')
  t.equal(safeCell(undefined), '')
})

t.test('csvLines: CRLF records, RFC 4180 quoting, every cell made safe', async (t) => {
  t.equal(csvLines([['注文番号', '建物名'], ['=1+2', '@SUM(A1)'], ['O-1', 'a,"b"'], [-5, null]]),
    '注文番号,建物名\r\n\'=1+2,\'@SUM(A1)\r\nO-1,"a,""b"""\r\n-5,\r\n')
  // A neutralised cell that needs quoting is quoted with its prefix inside.
  t.equal(csvLines([['=1,2']]), '"\'=1,2"\r\n')
  t.equal(csvLines([]), '')
})
