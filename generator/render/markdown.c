#include "render/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "render/escape.h"

/* Front matter: "---\nkey: value\n...\n---\n". Returns the offset where Markdown starts. */
static size_t front_matter(const char *src, size_t len, cJSON *front)
{
    if (len < 4 || strncmp(src, "---\n", 4) != 0) return 0;
    size_t pos = 4;
    while (pos < len) {
        const char *nl = memchr(src + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - src) : len;
        if (end - pos == 3 && strncmp(src + pos, "---", 3) == 0) return nl ? end + 1 : end;
        const char *colon = memchr(src + pos, ':', end - pos);
        if (colon && front) {
            char *key = xstrndup(src + pos, (size_t)(colon - (src + pos)));
            const char *v = colon + 1;
            while (v < src + end && *v == ' ') v++;
            char *value = xstrndup(v, (size_t)(src + end - v));
            cJSON_DeleteItemFromObjectCaseSensitive(front, key);
            cJSON_AddStringToObject(front, key, value);
            free(key);
            free(value);
        }
        if (!nl) break;
        pos = end + 1;
    }
    return 0;   /* unterminated: treat everything as Markdown */
}

int md_render(const char *src, size_t len, buf *html, cJSON *front)
{
    return md_render_ex(src, len, html, front, NULL, NULL);
}

int md_render_ex(const char *src, size_t len, buf *html, cJSON *front, md_diagram_fn diagram, void *ud)
{
    size_t start = front_matter(src, len, front);
    cmark_node *doc = cmark_parse_document(src + start, len - start, CMARK_OPT_DEFAULT);
    int diagrams = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    cmark_node *fences[256];
    int nfences = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK) continue;
        const char *info = cmark_node_get_fence_info(n);
        if (info && strncmp(info, "mermaid", 7) == 0 && (info[7] == '\0' || info[7] == ' ') && nfences < 256)
            fences[nfences++] = n;
    }
    cmark_iter_free(it);
    /* Each mermaid fence becomes what `diagram` writes (a drawing made at build time), else
     * <pre class="mermaid">source</pre>: mermaid.js draws it, and without scripts the escaped
     * source remains readable. */
    for (int i = 0; i < nfences; i++) {
        const char *code = cmark_node_get_literal(fences[i]);
        if (!code) code = "";
        buf block = BUF_INIT;
        if (!diagram || !diagram(ud, code, &block)) {
            buf_reset(&block);
            buf_puts(&block, "<figure class=\"diagram\"><pre class=\"mermaid\">");
            esc_html(&block, code, strlen(code));
            buf_puts(&block, "</pre></figure>\n");
        }
        cmark_node *custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
        cmark_node_set_on_enter(custom, buf_cstr(&block));
        cmark_node_replace(fences[i], custom);
        cmark_node_free(fences[i]);
        buf_free(&block);
        diagrams++;
    }
    char *out = cmark_render_html(doc, CMARK_OPT_DEFAULT);
    buf_puts(html, out);
    free(out);
    cmark_node_free(doc);
    return diagrams;
}
