/* mermaid: the docs' Mermaid diagrams drawn at build time into inline SVG by
 * tools/mermaid-render.mjs (node, playwright-core, Chromium), cached by a hash of the
 * diagram source, Mermaid and the renderer, so a rebuild draws nothing again. When a piece is
 * missing the diagrams are left to the browser, with one warning naming it.
 * Cache: $CATLOG_MERMAID_CACHE, else $XDG_CACHE_HOME/catlog/mermaid, else ~/.cache/catlog/mermaid.
 * Node: $CATLOG_NODE, else node on PATH. Chromium: $CHROMIUM, else /usr/bin/chromium. */
#ifndef CATLOG_SITE_MERMAID_H
#define CATLOG_SITE_MERMAID_H

#include <stdbool.h>

#include "core/buf.h"
#include "site/site.h"

typedef struct {
    bool ready;     /* the cache holds every diagram asked for */
    char version[65];
    buf dir;
    int drawn, cached;
} mermaid_cache;

/* Draws the diagrams of sources (n of them) the cache lacks. mermaid_js: Mermaid's script
 * (NULL: none found). Returns with mc->ready false (after one warning) when it cannot. */
void mermaid_prepare(mermaid_cache *mc, const site_options *opt, const char *mermaid_js, char *const *sources, int n);
/* The figure for src (an md_diagram_fn: ud is the mermaid_cache): false when not drawn. */
bool mermaid_figure(void *ud, const char *src, buf *out);
void mermaid_free(mermaid_cache *mc);

#endif
