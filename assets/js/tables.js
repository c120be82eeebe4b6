// Tables with data-sortable: a button in each column heading sorts the rows by that column
// (numbers as numbers: cells marked num are read without their thousands separators), and a
// filter box above the table hides the rows that do not contain what is typed. Without this
// script the tables read as before, in the order the page gives.
(function () {
  'use strict';
  if (!document.querySelectorAll) return;
  var uid = 0;

  // "1,234" -> 1234, "−0.5" -> -0.5, "12.5%" -> 12.5; null when the cell holds no number
  function number(text) {
    var t = text.replace(/[\s,\u00a0]/g, '').replace(/\u2212/g, '-').replace(/%$/, '');
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
    return parseFloat(t);
  }

  function enhance(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) return;
    var ths = Array.prototype.slice.call(head.cells);
    var rows = Array.prototype.slice.call(body.rows);
    if (!rows.length) return;
    for (var r = 0; r < rows.length; r++) if (rows[r].cells.length !== ths.length) return;
    rows.forEach(function (row, i) { row.setAttribute('data-order', String(i)); });

    var numeric = ths.map(function (th, c) {
      return th.classList.contains('num') || rows.some(function (row) { return row.cells[c].classList.contains('num'); });
    });

    ths.forEach(function (th, c) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      var mark = document.createElement('span');
      mark.className = 'sort-mark';
      mark.setAttribute('aria-hidden', 'true');
      button.appendChild(mark);
      th.appendChild(button);
      button.addEventListener('click', function () { sortBy(c); });
    });

    function sortBy(c) {
      var th = ths[c];
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      ths.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      var sign = dir === 'ascending' ? 1 : -1;
      var keyed = Array.prototype.slice.call(body.rows).map(function (row) {
        var text = row.cells[c].textContent.trim();
        return { row: row, order: +row.getAttribute('data-order'), text: text, n: numeric[c] ? number(text) : null };
      });
      keyed.sort(function (x, y) {
        var ex = numeric[c] ? x.n === null : x.text === '';
        var ey = numeric[c] ? y.n === null : y.text === '';
        if (ex !== ey) return ex ? 1 : -1;   // empty cells last, either way
        var d = ex ? 0 : numeric[c] ? x.n - y.n : x.text.localeCompare(y.text, undefined, { numeric: true, sensitivity: 'base' });
        return d !== 0 ? sign * d : x.order - y.order;
      });
      keyed.forEach(function (k) { body.appendChild(k.row); });
    }

    // the filter box, above the table (and its scrolling wrapper)
    var wrap = table.parentNode.classList && table.parentNode.classList.contains('table-wrap') ? table.parentNode : table;
    var box = document.createElement('div');
    box.className = 'table-filter';
    var id = 'table-filter-' + (++uid);
    var label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = 'Filter rows';
    var input = document.createElement('input');
    input.type = 'search';
    input.id = id;
    input.autocomplete = 'off';
    var status = document.createElement('span');
    status.className = 'muted';
    status.setAttribute('aria-live', 'polite');
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    wrap.parentNode.insertBefore(box, wrap);
    var texts = null;
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      var all = Array.prototype.slice.call(body.rows);
      if (!texts) {
        texts = new Map();
        all.forEach(function (row) { texts.set(row, row.textContent.toLowerCase()); });
      }
      var shown = 0;
      all.forEach(function (row) {
        var hit = !q || texts.get(row).indexOf(q) >= 0;
        row.hidden = !hit;
        if (hit) shown++;
      });
      status.textContent = q ? ' ' + shown + ' of ' + all.length + ' rows' : '';
    });
  }

  var tables = document.querySelectorAll('table[data-sortable]');
  for (var i = 0; i < tables.length; i++) enhance(tables[i]);
})();
