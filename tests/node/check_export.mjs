// Reads catlog's Parquet export with two independent readers, DuckDB (@duckdb/node-api) and
// hyparquet (pure JavaScript), and compares what they find with what PostgreSQL said.
//
//   node check_export.mjs EXPORT_DIR EXPECTED.jsonl
//
// Each line of EXPECTED.jsonl is one check:
//   {"dataset": "daily_rankings", "agg": "sum", "column": "rank", "pg": "2027615"}
//   agg: rows | sum | min | max | items (elements of a list column) | partitions
//   {"dataset": "anime", "agg": "row", "where": {"mal_id": 7}, "pg": {"title": "...", "genres": [...]}}
// Prints "ok ..." or "FAIL ..." per check and reader; exits 1 when any check failed.
import { DuckDBInstance } from '@duckdb/node-api'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import fs from 'node:fs'
import path from 'node:path'

const [dir, expectedFile] = process.argv.slice(2)
const checks = fs.readFileSync(expectedFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
let failed = 0

function files(dataset) {
  const out = []
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.parquet')) out.push(p)
    }
  }
  walk(path.join(dir, dataset))
  return out.sort()
}

// hyparquet: every row of a dataset, with the Hive partition column added from the path
const cache = new Map()
async function rowsOf(dataset) {
  if (cache.has(dataset)) return cache.get(dataset)
  const rows = []
  for (const f of files(dataset)) {
    const b = fs.readFileSync(f)
    const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
    parquetMetadata(file)   // the footer parses on its own
    const part = /([a-z_]+)=([0-9-]+)/.exec(path.relative(dir, f))
    for (const r of await parquetReadObjects({ file, compressors })) {
      if (part) r[part[1]] = part[2]
      rows.push(r)
    }
  }
  cache.set(dataset, rows)
  return rows
}

const plain = (v) => (typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString().slice(0, 10) : v)

function jsAggregate(rows, agg, column) {
  if (agg === 'rows') return rows.length
  if (agg === 'partitions') return new Set(rows.map((r) => r[column])).size
  const vals = rows.map((r) => plain(r[column])).filter((v) => v !== null && v !== undefined)
  if (agg === 'items') return vals.reduce((n, a) => n + a.length, 0)
  if (agg === 'sum') return vals.reduce((s, v) => s + Number(v), 0)
  const cmp = (a, b) => (typeof a === 'string' ? (Buffer.compare(Buffer.from(a), Buffer.from(b))) : a - b)
  if (!vals.length) return null
  return vals.reduce((m, v) => ((agg === 'min' ? cmp(v, m) < 0 : cmp(v, m) > 0) ? v : m))
}

const instance = await DuckDBInstance.create(':memory:')
const db = await instance.connect()
async function duck(sql) {
  const r = await db.runAndReadAll(sql)
  return r.getRowObjectsJson()
}
const source = (ds) => `read_parquet('${path.join(dir, ds).replaceAll("'", "''")}/**/*.parquet', hive_partitioning = true)`

function same(a, b) {
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null)
  const x = Number(a), y = Number(b)
  if (typeof a !== 'object' && !Number.isNaN(x) && !Number.isNaN(y) && String(a).trim() !== '' && String(b).trim() !== '')
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y))
  return JSON.stringify(a) === JSON.stringify(b)
}

function report(name, reader, got, want) {
  if (same(got, want)) console.log(`ok   ${name} (${reader})`)
  else {
    failed++
    console.log(`FAIL ${name} (${reader}): got ${JSON.stringify(got)}, PostgreSQL ${JSON.stringify(want)}`)
  }
}

for (const c of checks) {
  const name = `${c.dataset} ${c.agg}${c.column ? ' ' + c.column : ''}${c.where ? ' ' + JSON.stringify(c.where) : ''}`
  const rows = await rowsOf(c.dataset)
  if (c.agg === 'row') {
    const match = (r) => Object.entries(c.where).every(([k, v]) => same(plain(r[k]), v))
    const found = rows.find(match)
    for (const [col, want] of Object.entries(c.pg)) report(`${name} ${col}`, 'hyparquet', found ? plain(found[col]) : undefined, want)
    const cond = Object.entries(c.where).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `'${v}'`}`).join(' AND ')
    const [d] = await duck(`SELECT to_json(t) AS j FROM ${source(c.dataset)} t WHERE ${cond}`)
    const drow = d ? JSON.parse(d.j) : {}
    for (const [col, want] of Object.entries(c.pg)) report(`${name} ${col}`, 'DuckDB', drow[col], want)
    continue
  }
  const expr = { rows: 'count(*)', partitions: `count(DISTINCT ${c.column})`, items: `sum(len(${c.column}))`,
                 sum: `sum(${c.column})`, min: `min(${c.column})`, max: `max(${c.column})` }[c.agg]
  const [d] = await duck(`SELECT (${expr})::VARCHAR AS v FROM ${source(c.dataset)}`)
  report(name, 'DuckDB', d.v, c.pg)
  report(name, 'hyparquet', jsAggregate(rows, c.agg, c.column), c.pg)
}
console.log(`${failed ? 'FAIL' : 'ok  '} ${checks.length} checks against two readers, ${failed} failed`)
process.exit(failed ? 1 : 0)
