// Headless Chromium against a built site served on 127.0.0.1: every page kind loads with
// no console errors and no failed requests, Mermaid diagrams become SVG, widget tabs
// switch, the rotating widget rotates, widgets look the same embedded as alone, and charts
// are readable on a phone.
// Usage: node tests/browser/site.mjs BASE_URL ANIME_ID SCREENSHOT_DIR
import { chromium } from 'playwright-core';

const [base, animeId, shots] = process.argv.slice(2);
let passed = 0, failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`); }
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });

async function visit(path, { screenshot, expectStatus = 200 } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !(expectStatus === 404 && r.url() === base + path)) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const resp = await page.goto(base + path, { waitUntil: 'networkidle' });
  check(`${path} answers ${expectStatus}`, resp && resp.status() === expectStatus, resp ? String(resp.status()) : 'no response');
  if (screenshot) await page.screenshot({ path: `${shots}/${screenshot}.png`, fullPage: true });
  return { page, problems };
}

const pages = [
  ['index.html', 'dashboard'], ['trending/index.html'], [`anime/${animeId}/index.html`, 'anime'],
  ['seasons/index.html'], ['genres/index.html'], ['genres/action/index.html'], ['analytics/index.html'],
  ['analytics/significance/index.html'], ['quality/index.html'], ['pipeline/index.html'], ['docs/index.html'],
  ['docs/architecture/index.html', 'docs'], ['docs/api/index.html', 'api-reference'], ['reports/index.html'],
  ['widgets/demo.html', 'widgets-demo'],
];
for (const [path, shot] of pages) {
  const { page, problems } = await visit(path, { screenshot: shot });
  if (path.startsWith('docs/architecture')) {
    await page.waitForSelector('pre.mermaid svg', { timeout: 15000 }).catch(() => {});
    const svgs = await page.locator('pre.mermaid svg').count();
    check('mermaid diagrams become SVG', svgs >= 2, `${svgs} diagrams drawn`);
    await page.screenshot({ path: `${shots}/docs.png`, fullPage: true });
  }
  check(`${path}: no console errors or failed requests`, problems.length === 0, problems.slice(0, 3).join(' | '));
  await page.close();
}
{
  const { page, problems } = await visit('no/such/page.html', { expectStatus: 404 });
  check('404 page is served', (await page.title()).includes('Not found'));
  await page.close();
}

// Tabs switch on click (no script in the widget: radio inputs and labels).
{
  const { page } = await visit('widgets/trending-tabs.html');
  const panels = page.locator('.clw-panel');
  const before = await panels.nth(1).isVisible();
  await page.locator('.clw-labels label').nth(1).click();
  const after = await panels.nth(1).isVisible();
  const firstHidden = !(await panels.nth(0).isVisible());
  check('widget tabs switch on click', !before && after && firstHidden, `before ${before}, after ${after}`);
  await page.close();
}

// The rotating widget shows another slide after its 5 s interval.
{
  const { page } = await visit('widgets/trending-rotating.html');
  const visibleText = () => page.evaluate(() => [...document.querySelectorAll('.clw-slide')]
    .filter((e) => Number(getComputedStyle(e).opacity) > 0.5).map((e) => e.textContent.trim()).join('|'));
  const first = await visibleText();
  await page.waitForTimeout(5600);
  const second = await visibleText();
  check('rotating widget changes text over time', first !== '' && second !== '' && first !== second, `${first} -> ${second}`);
  await page.close();
}

// Embedded in a host page with aggressive styles, each widget keeps its own look.
const probe = (sel) => {
  const pick = (e) => { const s = getComputedStyle(e); return [s.fontFamily, s.fontSize, s.color, s.letterSpacing, s.marginTop, s.paddingLeft, s.lineHeight].join(';'); };
  const r = document.querySelector(sel);
  const parts = [pick(r)];
  for (const q of ['a', 'li', 'p', 'summary', 'label', '.clw-title']) { const e = r.querySelector(q); if (e) parts.push(q + '=' + pick(e)); }
  return parts.join(' / ') + ' / width=' + Math.round(r.getBoundingClientRect().width);
};
for (const [name, sel] of [['trending-tabs', '.clw-tabs'], ['trending-rotating', '.clw-rot'], ['trending-compact', '.clw-compact'], ['trending-cards', '.clw-cards']]) {
  const alone = await visit(`widgets/${name}.html`);
  const a = await alone.page.evaluate(probe, sel);
  await alone.page.close();
  const host = await visit('widgets/demo.html');
  const h = await host.page.evaluate(probe, sel);
  await host.page.close();
  check(`${name} looks the same embedded as alone`, a === h, `\n  alone: ${a}\n  host:  ${h}`);
}

// Charts a person can read: at 390 px (a phone) and 1280 px, the smallest text of every chart
// renders at 11 px or more, and no text of a chart sticks out of its SVG (heatmap labels too).
for (const width of [390, 1280]) {
  const narrow = await browser.newContext({ viewport: { width, height: 900 } });
  for (const [path, shot] of [[`anime/${animeId}/index.html`, 'anime'], ['analytics/index.html', 'analytics'],
                              ['index.html', 'dashboard']]) {
    const page = await narrow.newPage();
    await page.goto(base + path, { waitUntil: 'networkidle' });
    await page.screenshot({ path: `${shots}/${shot}-${width}.png`, fullPage: true });
    const charts = await page.evaluate(() => [...document.querySelectorAll('main svg[role="img"]')].map((svg) => {
      const box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      let smallest = Infinity;
      const outside = [];
      for (const t of svg.querySelectorAll('text')) {
        smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
        const r = t.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
          outside.push(t.textContent);
      }
      const named = svg.getAttribute('aria-labelledby') && svg.querySelector(':scope > title')?.textContent;
      return { id: svg.getAttribute('aria-labelledby'), smallest, outside, named: Boolean(named),
               tips: svg.querySelectorAll('rect > title').length };
    }));
    const expected = path.startsWith('anime') ? 4 : path.startsWith('analytics') ? 2 : 0;
    check(`${path} at ${width} px: ${expected} charts`, charts.length === expected, `${charts.length}`);
    for (const c of charts) {
      check(`${path} at ${width} px: ${c.id} text >= 11 px`, c.smallest >= 11, `${c.smallest.toFixed(1)} px`);
      check(`${path} at ${width} px: ${c.id} text inside the chart`, c.outside.length === 0, c.outside.join(' | '));
      check(`${path} at ${width} px: ${c.id} named, with tooltips`, c.named && c.tips > 0, `${c.tips} tooltips`);
    }
    await page.close();
  }
  await narrow.close();
}

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
