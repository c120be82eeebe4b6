// Draws the ```mermaid blocks of a docs page. Without this script the diagram source
// stays on the page as readable text.
(function () {
  if (!window.mermaid) return;
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
  window.mermaid.run({ querySelector: 'pre.mermaid' });
})();
