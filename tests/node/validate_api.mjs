// The JSON API against its description (api/openapi.json of a built site), with ajv (JSON
// Schema 2020-12, the OpenAPI 3.1 dialect). Prints one line per failure; exit 1 when any.
//
//   node validate_api.mjs documents SITE
//     every file under SITE/api/ and every SITE/reports/*.json: a path of the description
//     names it, its path parameters fit, it validates against its response schema and holds
//     no field the schema does not describe; and every path names at least one file.
//   node validate_api.mjs contract DIR OPENAPI
//     OPENAPI keeps the contract of its major version, DIR/openapi-<major>.json: every path,
//     every shape and every field of the copy is still there with the same or fewer types and
//     formats, required fields stay required. New paths, fields and enum values are fine.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const failures = [];
const fail = (line) => failures.push(line);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const SCHEMAS = '#/components/schemas/';
const responseSchema = (op) => op?.responses?.['200']?.content?.['application/json']?.schema;

// The value a local $ref names ("#/components/schemas/Cell"), or the schema itself.
function resolve(doc, schema) {
  while (schema && typeof schema.$ref === 'string') {
    schema = schema.$ref.slice(2).split('/').reduce((at, key) => at?.[key], doc);
  }
  return schema;
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// "/api/anime/{malId}.json" -> a RegExp with one group per parameter, and their names.
function templateMatcher(template) {
  const names = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}$`), names };
}

// The names an object may have at one place of a document, from every schema that applies
// there (through $ref, allOf, anyOf, oneOf); open when one of them allows any name.
function expand(doc, schemas) {
  const out = [];
  const add = (s) => {
    s = resolve(doc, s);
    if (!s || typeof s !== 'object' || out.includes(s)) return;
    out.push(s);
    for (const key of ['allOf', 'anyOf', 'oneOf']) (s[key] || []).forEach(add);
  };
  schemas.forEach(add);
  return out;
}

const SHAPING = ['type', 'properties', 'additionalProperties', 'items', 'allOf', 'anyOf', 'oneOf', 'enum', 'const'];

function undescribed(doc, value, schemas, where) {
  const all = expand(doc, schemas);
  if (all.some((s) => !SHAPING.some((k) => k in s))) return;   // any value
  if (Array.isArray(value)) {
    const items = all.map((s) => s.items).filter(Boolean);
    value.forEach((v, i) => undescribed(doc, v, items, `${where}/${i}`));
  } else if (value && typeof value === 'object') {
    const objects = all.filter((s) => s.properties || s.additionalProperties !== undefined || s.type === 'object');
    const freeForm = objects.some((s) => !s.properties && s.additionalProperties === undefined);
    const others = objects.map((s) => s.additionalProperties).filter((s) => s && typeof s === 'object');
    for (const [key, v] of Object.entries(value)) {
      const described = objects.map((s) => s.properties?.[key]).filter(Boolean);
      if (described.length) undescribed(doc, v, described, `${where}/${key}`);
      else if (others.length) undescribed(doc, v, others, `${where}/${key}`);
      else if (!freeForm) fail(`${where}/${key} is a field the description does not have`);
    }
  }
}

function documents(site) {
  const doc = readJson(join(site, 'api/openapi.json'));
  // the schemas as one JSON Schema document, so ajv resolves their references
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll(`"${SCHEMAS}`, '"catlog-api#/$defs/'));
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'catlog-api', $defs: defs });
  const paths = Object.entries(doc.paths).map(([template, item]) => {
    const schema = responseSchema(item.get);
    const params = Object.fromEntries((item.get.parameters || []).map((p) => resolve(doc, p)).map((p) => [p.name, p]));
    return {
      template, schema, params, ...templateMatcher(template), files: 0,
      validate: ajv.compile({ $ref: schema.$ref.replace(SCHEMAS, 'catlog-api#/$defs/') }),
    };
  });
  const files = [...filesUnder(join(site, 'api')), ...filesUnder(join(site, 'reports')).filter((f) => f.endsWith('.json'))];
  for (const file of files.sort()) {
    const url = '/' + relative(site, file);
    const matches = paths.map((p) => ({ p, m: p.regex.exec(url) })).filter(({ m }) => m);
    if (matches.length !== 1) {
      fail(`${url}: ${matches.length ? 'more than one path names it' : 'no path of the description names it'}`);
      continue;
    }
    const { p, m } = matches[0];
    p.files++;
    p.names.forEach((name, i) => {
      const schema = p.params[name]?.schema;
      const raw = decodeURIComponent(m[i + 1]);
      const value = schema?.type === 'integer' && /^-?[0-9]+$/.test(raw) ? Number(raw) : raw;
      if (!schema) fail(`${url}: parameter ${name} is not described`);
      else if (!ajv.validate(schema, value)) fail(`${url}: parameter ${name}=${raw} ${ajv.errorsText(ajv.errors)}`);
    });
    let value;
    try {
      value = readJson(file);
    } catch (e) {
      fail(`${url}: not JSON (${e.message})`);
      continue;
    }
    if (!p.validate(value)) {
      for (const e of p.validate.errors) fail(`${url}: ${e.instancePath || '/'} ${e.message}${e.params?.allowedValues ? ' ' + JSON.stringify(e.params.allowedValues) : ''}`);
    }
    undescribed(doc, value, [p.schema], url + ': ');
  }
  for (const p of paths) if (!p.files) fail(`${p.template}: no file of the site has this path`);
  console.error(`${files.length} files checked against ${paths.length} paths`);
}

// ---- the contract

const JSON_TYPES = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'];

// The JSON types a schema allows.
function typesOf(doc, schema) {
  schema = resolve(doc, schema);
  if (!schema || typeof schema !== 'object') return new Set(JSON_TYPES);
  const alternatives = schema.anyOf || schema.oneOf;
  if (alternatives) return new Set(alternatives.flatMap((s) => [...typesOf(doc, s)]));
  if (schema.type) return new Set([].concat(schema.type));
  if (schema.properties || schema.additionalProperties) return new Set(['object']);
  if (schema.allOf) return typesOf(doc, schema.allOf[0]);
  return new Set(JSON_TYPES);
}

// Every property an object schema declares (its own, then through allOf), with whether required.
function propertiesOf(doc, schema) {
  const props = new Map();
  for (const s of [schema, ...(schema.allOf || []).map((b) => resolve(doc, b))]) {
    for (const [name, p] of Object.entries(s.properties || {})) {
      props.set(name, { schema: p, required: (s.required || []).includes(name) || props.get(name)?.required });
    }
  }
  return props;
}

function compareSchemas(oldDoc, newDoc, oldS, newS, where, seen) {
  if (oldS?.$ref && newS?.$ref) {
    const key = `${oldS.$ref} ${newS.$ref}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (oldS.$ref.startsWith(SCHEMAS)) where = oldS.$ref.slice(SCHEMAS.length);
  }
  oldS = resolve(oldDoc, oldS);
  newS = resolve(newDoc, newS);
  if (!oldS || !newS) return;
  const was = typesOf(oldDoc, oldS);
  for (const t of typesOf(newDoc, newS)) {
    if (!was.has(t) && !(t === 'integer' && was.has('number'))) fail(`${where}: can now be ${t} (was ${[...was].join(' or ')})`);
  }
  if (oldS.format && newS.format !== oldS.format) fail(`${where}: format ${oldS.format} became ${newS.format || 'none'}`);
  // alternatives named by reference: each still there is compared with its old self
  const named = (s) => new Map((s.anyOf || s.oneOf || []).filter((b) => b.$ref).map((b) => [b.$ref, b]));
  const newAlternatives = named(newS);
  for (const [ref, b] of named(oldS)) {
    if (newAlternatives.has(ref)) compareSchemas(oldDoc, newDoc, b, newAlternatives.get(ref), where, seen);
  }
  const newProps = propertiesOf(newDoc, newS);
  for (const [name, { schema, required }] of propertiesOf(oldDoc, oldS)) {
    const now = newProps.get(name);
    if (!now) fail(`${where}.${name}: removed`);
    else {
      if (required && !now.required) fail(`${where}.${name}: was required, now optional`);
      compareSchemas(oldDoc, newDoc, schema, now.schema, `${where}.${name}`, seen);
    }
  }
  if (oldS.items && newS.items) compareSchemas(oldDoc, newDoc, oldS.items, newS.items, `${where}[]`, seen);
  if (typeof oldS.additionalProperties === 'object' && typeof newS.additionalProperties === 'object') {
    compareSchemas(oldDoc, newDoc, oldS.additionalProperties, newS.additionalProperties, `${where}.*`, seen);
  }
}

function contract(dir, file) {
  const now = readJson(file);
  const major = String(now.info.version).split('.')[0];
  const copy = join(dir, `openapi-${major}.json`);
  if (!existsSync(copy)) {
    fail(`no contract for major version ${major}: a new major version may break the API; commit its description as ${copy}`);
    return;
  }
  const then = readJson(copy);
  const seen = new Set();
  for (const name of Object.keys(then.components.schemas)) {
    if (!now.components.schemas[name]) fail(`${name}: shape removed`);
    else compareSchemas(then, now, { $ref: SCHEMAS + name }, { $ref: SCHEMAS + name }, name, seen);
  }
  for (const [template, item] of Object.entries(then.paths)) {
    if (!now.paths[template]) fail(`${template}: path removed`);
    else compareSchemas(then, now, responseSchema(item.get), responseSchema(now.paths[template].get), template, seen);
  }
  console.error(`${file} (${now.info.version}) against ${copy}`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'documents' && args.length === 1) documents(args[0]);
else if (command === 'contract' && args.length === 2) contract(args[0], args[1]);
else {
  console.error('usage: node validate_api.mjs documents SITE | contract DIR OPENAPI');
  process.exit(2);
}
for (const line of failures) console.log(line);
process.exit(failures.length ? 1 : 0);
