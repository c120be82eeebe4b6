// mustache.js side of the Mustache benchmark: same templates, same page documents.
// Mustache.render caches every parsed template (page and partials) after the first use,
// so the timed runs only render, like the C side.
//   node bench_js.js TEMPLATE_DIR PAGES.json RUNS
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Mustache = require('mustache');

const [dir, dataPath, runsArg] = process.argv.slice(2);
const runs = Number(runsArg) || 5;

// The same five characters catlog escapes (mustache.js also escapes / ` = by default).
const html = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
Mustache.escape = (s) => String(s).replace(/[&<>"']/g, (c) => html[c]);

const partials = {};
(function walk(sub) {
  for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) walk(rel);
    else if (rel.endsWith('.mustache')) partials[rel.slice(0, -9)] = fs.readFileSync(path.join(dir, rel), 'utf8');
  }
})('');
const page = partials.page;
const pages = JSON.parse(fs.readFileSync(dataPath, 'utf8')).pages;

const hash = crypto.createHash('sha256');
let bytes = 0;
for (const p of pages) {
  const s = Mustache.render(page, p, partials);
  hash.update(s);
  bytes += Buffer.byteLength(s);
}
console.log(`sha256 ${hash.digest('hex')}`);
console.log(`pages ${pages.length} bytes ${bytes}`);

const rates = [];
for (let r = 0; r < runs; r++) {
  let total = 0;
  const t0 = process.hrtime.bigint();
  for (const p of pages) total += Mustache.render(page, p, partials).length;
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  rates.push(pages.length / dt);
  console.log(`run ${r + 1}: ${(pages.length / dt).toFixed(0)} pages/s (${(total / dt / 1e6).toFixed(1)} M chars/s)`);
}
rates.sort((a, b) => a - b);
console.log(`median ${rates[Math.floor(runs / 2)].toFixed(0)} pages/s`);
