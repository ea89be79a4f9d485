// The committed OpenAPI document is exactly what the routes generate, and it is valid OpenAPI 3.1.
import t from 'tap'
import { readFile } from 'node:fs/promises'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Validator } from '@seriousme/openapi-schema-validator'
import { OPENAPI_PATH, generateOpenApi } from '../src/bin/emit-openapi.js'
import { build } from './helper.js'

const committed = await readFile(OPENAPI_PATH, 'utf8')

t.test('openapi/openapi.json matches the routes (run npm run openapi when this fails)', async (t) => {
  t.equal(await generateOpenApi(), committed)
})

t.test('the served document is the committed one', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), JSON.parse(committed))
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger-ui/i)
})

t.test('valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async (t) => {
  const validator = new Validator()
  const result = await validator.validate(JSON.parse(committed))
  t.same(result.errors ?? [], [])
  t.ok(result.valid)
  t.equal(validator.version, '3.1')
})

t.test('every operation: operationId, summary, tags, security and its problem responses', async (t) => {
  const doc = JSON.parse(committed)
  t.same(Object.keys(doc.components.schemas).filter((n: string) => /^(def-|Schema)\d+$/.test(n)), [], 'components named after $id')
  t.equal(doc.security, undefined, 'no document-wide default: each operation says who may call it')
  const ids = new Set<string>()
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const where = `${method.toUpperCase()} ${path}`
      t.type(op.operationId, 'string', `${where} operationId`)
      t.notOk(ids.has(op.operationId), `${where} operationId unique`)
      ids.add(op.operationId)
      t.ok(op.summary?.length > 0, `${where} summary`)
      t.ok(op.tags?.length > 0, `${where} tags`)
      const secured = op.security
      t.ok(Array.isArray(secured), `${where} declares its own security`)
      for (const requirement of secured ?? []) {
        for (const scheme of Object.keys(requirement)) t.ok(doc.components.securitySchemes[scheme], `${where} scheme ${scheme} defined`)
      }
      t.ok(op.responses['500'], `${where} documents 500`)
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (Number(status) >= 400) {
          t.equal(response.content['application/problem+json'].schema.$ref, '#/components/schemas/Problem', `${where} ${status} is a problem`)
        }
      }
      if (secured.length > 0) {
        t.ok(op.responses['401'] && op.responses['403'], `${where} documents 401 and 403`)
      }
    }
  }
})

t.test('redocly lint (recommended rules): no errors', async (t) => {
  const run = promisify(execFile)
  const { stdout, stderr } = await run(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--extends=recommended', '--format=json', OPENAPI_PATH], {
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stdout: string; stderr: string }) => err)
  const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ severity: string; message: string; ruleId: string }> }
  t.equal(report.totals.errors, 0, JSON.stringify(report.problems.filter((p) => p.severity === 'error')) + stderr)
})
