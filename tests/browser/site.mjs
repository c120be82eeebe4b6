// Headless Chromium against a built site served on 127.0.0.1: every page kind loads with
// no console errors and no failed requests, Mermaid diagrams become SVG (drawn at build time: a
// light docs page, readable and scrolling on a phone), widget tabs
// switch, the rotating widget rotates, widgets look the same embedded as alone, charts are
// readable on a phone, the search box finds anime as one types (titles as text), table columns
// sort and filter, and pages work with JavaScript off.
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
  ['index.html', 'dashboard'], ['trending/index.html'], ['anime/index.html', 'anime-index'], [`anime/${animeId}/index.html`, 'anime'],
  ['seasons/index.html'], ['genres/index.html'], ['genres/action/index.html'], ['analytics/index.html'],
  ['analytics/significance/index.html'], ['quality/index.html'], ['pipeline/index.html'], ['docs/index.html'],
  ['docs/architecture/index.html', 'docs'], ['docs/api/index.html', 'api-reference'], ['reports/index.html'],
  ['widgets/demo.html', 'widgets-demo'],
];
for (const [path, shot] of pages) {
  const { page, problems } = await visit(path, { screenshot: shot });
  if (path.startsWith('docs/architecture')) {
    // drawn at build time (inline SVG), or by mermaid.js when the build could not draw them
    await page.waitForSelector('figure.diagram svg', { timeout: 15000 }).catch(() => {});
    const svgs = await page.locator('figure.diagram svg').count();
    check('mermaid diagrams become SVG', svgs >= 2, `${svgs} diagrams drawn`);
    await page.screenshot({ path: `${shots}/docs.png`, fullPage: true });
  }
  check(`${path}: no console errors or failed requests`, problems.length === 0, problems.slice(0, 3).join(' | '));
  await page.close();
}
// The docs page with two diagrams: drawn at build time, so no Mermaid to download; on a
// phone the diagrams keep readable text and scroll sideways instead of shrinking.
{
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await phone.newPage();
  const cdp = await phone.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  const urls = [];
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  cdp.on('Network.requestWillBeSent', (e) => urls.push(e.request.url));
  await page.goto(base + 'docs/architecture/index.html', { waitUntil: 'networkidle' });
  check('the docs page with two diagrams transfers <= 400 KB', bytes > 0 && bytes <= 400 * 1024, `${Math.round(bytes / 1024)} KB`);
  console.log(`     docs/architecture/index.html transferred ${Math.round(bytes / 1024)} KB in ${urls.length} requests`);
  check('the docs page loads no Mermaid script', !urls.some((u) => /mermaid/.test(u)), urls.filter((u) => /mermaid/.test(u)).join(' '));
  const text = await page.evaluate(() => {
    let min = Infinity;
    for (const svg of document.querySelectorAll('figure.diagram svg')) {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      for (const el of svg.querySelectorAll('text, span, p')) {
        if (!el.textContent.trim()) continue;
        min = Math.min(min, parseFloat(getComputedStyle(el).fontSize) * scale);
      }
    }
    return min;
  });
  check('diagram text is at least 11 px at 390 px wide', text >= 11 && text < Infinity, `${text.toFixed(1)} px`);
  const scroll = await page.evaluate(() => {
    const box = document.querySelector('figure.diagram .diagram-scroll');
    if (!box) return null;
    return { overflow: getComputedStyle(box).overflowX, sw: box.scrollWidth, cw: box.clientWidth,
             page: document.documentElement.scrollWidth };
  });
  check('a wide diagram scrolls in its figure instead of shrinking',
        scroll && /auto|scroll/.test(scroll.overflow) && scroll.sw > scroll.cw && scroll.page <= 390, JSON.stringify(scroll));
  const labelled = await page.evaluate(() => [...document.querySelectorAll('figure.diagram svg')].every((svg) => {
    const src = document.getElementById(svg.getAttribute('aria-labelledby') || '');
    return svg.getAttribute('role') === 'img' && src && src.textContent.includes('-->');
  }));
  check('each diagram keeps its source as its text alternative', labelled);
  await page.screenshot({ path: `${shots}/docs-phone.png`, fullPage: true });
  await phone.close();
}
{
  const { page, problems } = await visit('no/such/page.html', { expectStatus: 404 });
  check('404 page is served', (await page.title()).includes('Not found'));
  await page.close();
}

// The header search finds an anime as one types: part of its title, in another page's header.
{
  const doc = await (await fetch(`${base}api/anime/${animeId}.json`)).json();
  const title = doc.anime.title;
  const words = title.split(/[^A-Za-z0-9\u0080-\uffff]+/).filter((w) => w);
  const query = words.length > 1 ? `${words[0]} ${words[1].slice(0, 2)}` : words[0].slice(0, 3);
  const { page, problems } = await visit('genres/index.html');
  const box = page.locator('.site-header input[type=search]');
  await box.pressSequentially(query, { delay: 30 });
  await page.waitForFunction(() => document.querySelector('.site-header .search-status')?.textContent, null, { timeout: 5000 }).catch(() => {});
  const hrefs = await page.locator('.site-header .search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const texts = await page.locator('.site-header .search-results a').allTextContents();
  check(`typing "${query}" in the header search shows "${title}"`, hrefs.includes(`../anime/${animeId}/index.html`),
        `${hrefs.length} results: ${texts.slice(0, 4).join(' | ')}`);
  check('the search results link to anime pages', hrefs.length > 0 && hrefs.every((h) => /^\.\.\/anime\/\d+\/index\.html$/.test(h)));
  // Enter goes to the first result
  await box.press('Enter');
  await page.waitForURL(/anime\/\d+\/index\.html$/, { timeout: 5000 }).catch(() => {});
  check('Enter in the search box opens the first result', /anime\/\d+\/index\.html$/.test(page.url()), page.url());
  check('header search: no console errors or failed requests', problems.length === 0, problems.slice(0, 3).join(' | '));
  await page.close();
}

// A hostile title is shown as text: no element made from it, no script run.
{
  const { page, problems } = await visit('anime/index.html');
  const box = page.locator('main .site-search input[type=search]');
  await box.pressSequentially('zyx', { delay: 30 });
  await page.waitForSelector('main .search-results a', { timeout: 5000 }).catch(() => {});
  const text = await page.locator('main .search-results a').first().textContent().catch(() => '');
  const imgs = await page.locator('main .search-results img').count();
  const pwned = await page.evaluate(() => window.__pwned === 1);
  check('a hostile title in the search results is text', text === 'Zyx <img src=x onerror=window.__pwned=1>' && imgs === 0 && !pwned,
        `text ${JSON.stringify(text)}, ${imgs} img, script ran: ${pwned}`);
  check('index search: no console errors or failed requests', problems.length === 0, problems.slice(0, 3).join(' | '));
  await page.close();
}

// Table columns sort (numbers as numbers) from a button in their heading; a filter box hides rows.
{
  const { page, problems } = await visit('genres/action/index.html');
  const table = page.locator('table[data-sortable]').nth(1);
  const col = await table.locator('thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent.trim().startsWith('Members')));
  const values = () => table.locator('tbody tr').evaluateAll((trs, c) => trs.filter((tr) => !tr.hidden)
    .map((tr) => tr.cells[c].textContent.trim()), col);
  const num = (t) => Number(t.replace(/,/g, ''));
  const header = table.locator('thead th').nth(col);
  await header.locator('button').click();
  const up = await values();
  const sortedUp = up.every((v, i) => i === 0 || num(up[i - 1]) <= num(v));
  const lexical = [...up].sort().join() !== up.join();
  check('a column sorts numbers numerically, ascending', sortedUp && (await header.getAttribute('aria-sort')) === 'ascending',
        `${up.slice(0, 5).join(' | ')} (differs from text order: ${lexical})`);
  await header.locator('button').focus();
  await page.keyboard.press('Enter');
  const down = await values();
  check('the same button (by keyboard) sorts descending', down.every((v, i) => i === 0 || num(down[i - 1]) >= num(v))
        && (await header.getAttribute('aria-sort')) === 'descending', down.slice(0, 5).join(' | '));
  const titles = await table.locator('tbody tr td:first-child').allTextContents();
  const word = titles[0].split(/\s+/)[0];
  const filter = page.locator('.table-filter input').nth(1);
  await filter.fill(word);
  const shown = await table.locator('tbody tr:not([hidden])').allTextContents();
  check(`the filter box hides the rows without "${word}"`, shown.length > 0 && shown.length < titles.length
        && shown.every((t) => t.toLowerCase().includes(word.toLowerCase())), `${shown.length} of ${titles.length} shown`);
  await filter.fill('');
  check('an empty filter shows every row', (await table.locator('tbody tr:not([hidden])').count()) === titles.length);
  check('sorting and filtering: no console errors', problems.length === 0, problems.slice(0, 3).join(' | '));
  await page.close();
}

// Without JavaScript: the header search is a link to the index, pages read as before.
{
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
  for (const path of ['index.html', 'anime/index.html', 'analytics/momentum/index.html']) {
    const page = await noJs.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(base + path, { waitUntil: 'networkidle' });
    const link = await page.locator('.site-header .site-search a[href$="anime/index.html"]').count();
    const inputs = await page.locator('input[type=search]').count();
    const anime = await page.locator('main a[href*="anime/"]').count();
    const buttons = await page.locator('th button').count();
    check(`${path} without JavaScript: the search is a link, content links present`, link === 1 && inputs === 0 && buttons === 0 && anime > 0 && problems.length === 0,
          `link ${link}, inputs ${inputs}, heading buttons ${buttons}, anime links ${anime}, ${problems.slice(0, 2).join(' | ')}`);
    await page.close();
  }
  await noJs.close();
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
