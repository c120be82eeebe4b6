// The search box: finds an anime by its title or English title, from the start of any of
// their words, as one types, from the static index in search/ (see generator/site/pages_index.c). Without
// this script the box stays a link to the all-anime index. Titles are data: they go into
// the page as text (textContent), never as markup.
(function () {
  'use strict';
  if (!window.fetch || !window.TextEncoder || !document.querySelector) return;
  var SHOWN = 12;
  var cache = {};
  var uid = 0;

  function lower(s) { return s.replace(/[A-Z]+/g, function (c) { return c.toLowerCase(); }); }
  // the same words as the index: runs of ASCII letters and digits and non-ASCII characters
  function words(s) { return lower(s || '').split(/[^a-z0-9\u0080-\uffff]+/).filter(function (w) { return w; }); }
  function fileOf(key) {
    if (key === '') return 'index';
    var b = new TextEncoder().encode(key), h = '';
    for (var i = 0; i < b.length; i++) h += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return h;
  }
  function load(root, key) {
    var url = root + 'search/' + fileOf(key) + '.json';
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return cache[url];
  }
  // The node of the index for word w: {a: [[malId, title, english?]...], more: bool}.
  function resolve(root, w) {
    var chars = Array.from(w);
    var none = { a: [], more: false };
    function step(node, i, key) {
      if (!node) return none;
      if (i === chars.length || !node.more || !node.next.length) return node;
      if (!node.next || node.next.indexOf(chars[i]) < 0) return none;
      key += chars[i];
      return load(root, key).then(function (n) { return step(n, i + 1, key); });
    }
    return load(root, '').then(function (n) { return step(n, 0, ''); });
  }
  // Each query word starts a word of the anime's titles.
  function matches(entry, qwords) {
    var ws = words(entry[1]).concat(words(entry[2]));
    return qwords.every(function (q) { return ws.some(function (w) { return w.lastIndexOf(q, 0) === 0; }); });
  }
  // The query's words as a phrase first (the index holds every phrase from each word on),
  // then, for words in another order, each word alone, the longest first.
  function search(root, query) {
    var qwords = words(query);
    if (!qwords.length) return Promise.resolve(null);
    var tries = [qwords.join(' ')];
    if (qwords.length > 1) tries = tries.concat(qwords.slice().sort(function (x, y) { return y.length - x.length; }));
    function attempt(k, best) {
      if (k === tries.length) return best;
      return resolve(root, tries[k]).then(function (node) {
        var r = { found: node.a.filter(function (e) { return matches(e, qwords); }), partial: !!node.more };
        if (r.found.length && !r.partial) return r;
        return attempt(k + 1, best && best.found.length >= r.found.length ? best : r);
      });
    }
    return attempt(0, null);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function enhance(box) {
    var root = box.getAttribute('data-root') || '';
    var id = 'site-search-' + (++uid);
    var form = el('form', 'search-form');
    form.setAttribute('role', 'search');
    var label = el('label', box.classList.contains('site-search-big') ? '' : 'visually-hidden', 'Search anime by title');
    label.htmlFor = id;
    var input = el('input');
    input.type = 'search';
    input.id = id;
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.placeholder = 'Search anime';
    var status = el('p', 'search-status');
    status.setAttribute('aria-live', 'polite');
    var list = el('ul', 'search-results');
    list.id = id + '-results';
    input.setAttribute('aria-controls', list.id);
    form.appendChild(label);
    form.appendChild(input);
    var panel = el('div', 'search-panel');
    panel.hidden = true;
    panel.appendChild(status);
    panel.appendChild(list);
    box.textContent = '';
    box.appendChild(form);
    box.appendChild(panel);

    var seq = 0;
    var timer = null;
    function show(result) {
      list.textContent = '';
      if (!result) { panel.hidden = true; status.textContent = ''; return; }
      result.found.slice(0, SHOWN).forEach(function (e) {
        var li = el('li');
        var a = el('a', null, e[1]);
        a.href = root + 'anime/' + encodeURIComponent(String(e[0])) + '/index.html';
        li.appendChild(a);
        if (e[2] && e[2] !== e[1]) li.appendChild(el('span', 'muted', ' ' + e[2]));
        list.appendChild(li);
      });
      var n = result.found.length;
      status.textContent = n === 0 ? 'No anime found.'
        : result.partial ? 'The best-ranked matches; type more to narrow.'
        : n > SHOWN ? n + ' anime found; the first ' + SHOWN + ' by rank.'
        : n + (n === 1 ? ' anime found.' : ' anime found.');
      panel.hidden = false;
    }
    function run() {
      var mine = ++seq;
      search(root, input.value).then(function (r) { if (mine === seq) show(r); });
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') { input.value = ''; seq++; show(null); }
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var first = list.querySelector('a');
      if (first) window.location.href = first.href;
    });
  }

  var boxes = document.querySelectorAll('.site-search');
  for (var i = 0; i < boxes.length; i++) enhance(boxes[i]);
})();
