// Draws Mermaid diagrams into SVG at build time, with headless Chromium (playwright-core), so
// docs pages ship the drawings instead of Mermaid. catlog runs it for the diagrams its cache
// lacks. Usage: node mermaid-render.mjs MERMAID_JS DIR KEY...
// reads DIR/KEY.mmd, writes DIR/KEY.svg; the SVG's id is mermaid-KEY[0..12] and it is labelled
// by the element with that id + "-src" (the page's copy of the source).
// Exit 3: playwright-core is missing. Chromium: $CHROMIUM, else /usr/bin/chromium.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('playwright-core not found');
  process.exit(3);
}
const [js, dir, ...keys] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ content: readFileSync(js, 'utf8') });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' }));
  for (const key of keys) {
    const src = readFileSync(`${dir}/${key}.mmd`, 'utf8');
    const id = `mermaid-${key.slice(0, 12)}`;
    const svg = await page.evaluate(async ({ id, src }) => {
      const { svg } = await window.mermaid.render(id, src);
      const box = document.createElement('div');
      box.innerHTML = svg;
      const el = box.querySelector('svg');
      // its natural size: the page scrolls a wide diagram rather than shrinking it
      const vb = el.viewBox.baseVal;
      el.setAttribute('width', String(Math.ceil(vb.width)));
      el.setAttribute('height', String(Math.ceil(vb.height)));
      el.style.removeProperty('max-width');
      if (!el.getAttribute('style')) el.removeAttribute('style');
      el.setAttribute('role', 'img');
      el.setAttribute('aria-labelledby', `${id}-src`);
      return el.outerHTML;
    }, { id, src });
    writeFileSync(`${dir}/${key}.svg.${process.pid}.tmp`, svg);
    renameSync(`${dir}/${key}.svg.${process.pid}.tmp`, `${dir}/${key}.svg`);
  }
} finally {
  await browser.close();
}
