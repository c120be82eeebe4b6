// Deterministic page documents for the Mustache benchmark: N anime pages, each with a
// 30-row daily ranking table, in the shape catlog's site builder hands to templates.
//   node gen_data.js [PAGES] [OUT.json]
'use strict';
const fs = require('fs');

const pages = Number(process.argv[2] || 10000);
const outPath = process.argv[3] || 'pages.json';

// mulberry32: small, fast, and the same sequence everywhere.
let seed = 20240531;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const words = ['Sword', 'Star', 'Cat', 'Spring', 'Ghost', 'Knight', 'Moon', 'Library', 'Tea',
  'Rain', 'Dragon', 'Summer', 'Signal', 'Garden', 'Frontier', 'Journey', 'Idol', 'Chef'];
const tricky = ['& Friends', '<Remastered>', '"Final"', "Won't Stop", 'Q&A', ''];
const jp = ['猫の図書館', '星の剣', '夏の幽霊', '月とお茶', '', '雨の騎士'];
const genres = ['Action', 'Adventure', 'Comedy', 'Drama', 'Fantasy', 'Mystery', 'Romance',
  'Sci-Fi', 'Slice of Life', 'Sports'];
const types = ['TV', 'Movie', 'OVA', 'ONA'];
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const site = {
  name: 'CatLog',
  url: 'https://catlog.example',
  nav: [['/', 'Home'], ['/top/', 'Top'], ['/trending/', 'Trending'], ['/seasons/', 'Seasons'],
    ['/about/', 'About']].map(([href, label]) => ({ href, label })),
};

const out = [];
for (let i = 0; i < pages; i++) {
  const id = 1000 + i;
  const title = `${pick(words)} ${pick(words)} ${pick(tricky)}`.trim();
  const g = new Set();
  for (let k = int(1, 4); k > 0; k--) g.add(pick(genres));
  let rank = int(1, 5000), members = int(1000, 2500000);
  let score = Math.round((5 + rand() * 4.5) * 100) / 100;
  const rows = [];
  for (let d = 0; d < 30; d++) {
    const delta = int(-15, 15);
    rank = Math.max(1, rank - delta);
    members += int(0, 900);
    score = Math.round(Math.min(9.99, Math.max(1, score + (rand() - 0.5) * 0.04)) * 100) / 100;
    rows.push({
      date: `2024-05-${String(d + 1).padStart(2, '0')}`,
      rank, score, members, delta,
      up: delta > 0, down: delta < 0,
    });
  }
  out.push({
    site,
    generated: '2024-05-31',
    anime: {
      id, title, title_japanese: pick(jp), type: pick(types), episodes: int(1, 64),
      score, rank, members, url: `/anime/${id}/`,
      genres: [...g].map((name) => ({ name, slug: slug(name) })),
      synopsis: Array.from({ length: int(20, 50) }, () => pick(words).toLowerCase()).join(' ') +
        ` <${pick(words)}> & "${pick(words)}".`,
    },
    rows,
  });
}
fs.writeFileSync(outPath, JSON.stringify({ pages: out }));
