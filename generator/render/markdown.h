/* markdown: documentation pages from Markdown (cmark) with a small front matter block,
 * and ```mermaid fences turned into diagrams: drawn at build time by the caller's
 * md_diagram_fn, else by the browser, whose source stays readable as text when scripts do not run. */
#ifndef CATLOG_MARKDOWN_H
#define CATLOG_MARKDOWN_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Renders src to HTML (raw HTML in the source is not passed through). Front matter lines
 * "key: value" between leading "---" lines become string members of `front` (may be NULL).
 * Returns the number of mermaid diagrams found. */
int md_render(const char *src, size_t len, buf *html, cJSON *front);

/* Writes the HTML standing for the diagram whose Mermaid source is src into out and returns
 * true; false leaves it to the browser (<pre class="mermaid">). */
typedef bool (*md_diagram_fn)(void *ud, const char *src, buf *out);

/* md_render, with each mermaid fence offered to diagram first (NULL: none is). */
int md_render_ex(const char *src, size_t len, buf *html, cJSON *front, md_diagram_fn diagram, void *ud);

#endif
