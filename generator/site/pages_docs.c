/* Documentation pages from the Markdown files in content/docs, ordered by their front matter. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/file.h"
#include "core/log.h"
#include "render/markdown.h"
#include "site/build_internal.h"
#include "site/mermaid.h"

typedef struct {
    char *slug;
    cJSON *front;
    buf src;
    buf html;
    int diagrams;   /* those left to the browser */
} doc_page;

static int by_order(const void *a, const void *b)
{
    const doc_page *x = a, *y = b;
    const cJSON *ox = cJSON_GetObjectItem(x->front, "order"), *oy = cJSON_GetObjectItem(y->front, "order");
    int ix = ox ? atoi(ox->valuestring) : 1000, iy = oy ? atoi(oy->valuestring) : 1000;
    return ix != iy ? ix - iy : strcmp(x->slug, y->slug);
}

/* A doc's name becomes its path (docs/NAME/): [a-z0-9-]+, bounded, nothing else. */
static bool doc_name_ok(const char *name, size_t n)
{
    if (n == 0 || n > SITE_SLUG_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '-')) return false;
    return true;
}

/* Reads the *.md files of dir/docs into pages, skipping slugs an earlier layer already gave. */
static int read_docs_dir(const char *dir, doc_page *pages, int *n, int max)
{
    buf docs = BUF_INIT;
    buf_printf(&docs, "%s/docs", dir);
    DIR *d = opendir(buf_cstr(&docs));
    int rc = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && *n < max) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0) continue;
        if (!doc_name_ok(e->d_name, len - 3)) {
            log_warn("%s/%s skipped: a doc's file name must be lower-case letters, digits and dashes "
                     "(at most %d) before .md", buf_cstr(&docs), e->d_name, SITE_SLUG_MAX);
            continue;
        }
        bool taken = false;
        for (int i = 0; i < *n && !taken; i++)
            taken = strlen(pages[i].slug) == len - 3 && strncmp(pages[i].slug, e->d_name, len - 3) == 0;
        if (taken) continue;
        buf src = BUF_INIT, path = BUF_INIT;
        bool kept = false;
        buf_printf(&path, "%s/%s", buf_cstr(&docs), e->d_name);
        if (file_read_all(buf_cstr(&path), &src) != 0) {
            log_error("cannot read %s", buf_cstr(&path));
            rc = -1;
        } else {
            doc_page *pg = &pages[(*n)++];
            pg->slug = xstrndup(e->d_name, len - 3);
            pg->front = cJSON_CreateObject();
            buf_init(&pg->html);
            pg->diagrams = md_render(src.data ? src.data : "", src.len, &pg->html, pg->front);
            pg->src = src;
            kept = true;
            if (!cJSON_GetObjectItem(pg->front, "title")) cJSON_AddStringToObject(pg->front, "title", pg->slug);
        }
        if (!kept) buf_free(&src);
        buf_free(&path);
    }
    if (d) closedir(d);
    buf_free(&docs);
    return rc;
}

/* Collects the diagrams' sources (an md_diagram_fn that draws none). */
static bool collect_diagram(void *ud, const char *src, buf *out)
{
    (void)out;
    cJSON_AddItemToArray(ud, cJSON_CreateString(src));
    return false;
}

typedef struct {
    mermaid_cache *mc;
    int left;   /* diagrams not drawn */
} drawing;

static bool draw_diagram(void *ud, const char *src, buf *out)
{
    drawing *d = ud;
    if (mermaid_figure(d->mc, src, out)) return true;
    d->left++;
    return false;
}

/* The pages' diagrams drawn at build time when the renderer is there; the others stay for
 * mermaid.js in the browser. */
static void draw_diagrams(site_build_state *b, doc_page *pages, int n)
{
    cJSON *sources = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        if (pages[i].diagrams > 0) {
            buf scratch = BUF_INIT;
            md_render_ex(pages[i].src.data ? pages[i].src.data : "", pages[i].src.len, &scratch, NULL, collect_diagram, sources);
            buf_free(&scratch);
        }
    int ns = cJSON_GetArraySize(sources);
    if (ns > 0) {
        char **srcs = xcalloc((size_t)ns, sizeof *srcs);
        int k = 0;
        for (const cJSON *it = sources->child; it; it = it->next) srcs[k++] = it->valuestring;
        buf js = BUF_INIT;
        bool have_js = site_find_mermaid(b->opt, &js);
        mermaid_cache mc;
        mermaid_prepare(&mc, b->opt, have_js ? buf_cstr(&js) : NULL, srcs, ns);
        for (int i = 0; mc.ready && i < n; i++) {
            if (pages[i].diagrams == 0) continue;
            drawing d = {&mc, 0};
            buf_reset(&pages[i].html);
            md_render_ex(pages[i].src.data ? pages[i].src.data : "", pages[i].src.len, &pages[i].html, NULL, draw_diagram, &d);
            pages[i].diagrams = d.left;
        }
        mermaid_free(&mc);
        buf_free(&js);
        free(srcs);
    }
    cJSON_Delete(sources);
}

int pages_docs(site_build_state *b)
{
    doc_page pages[128];
    int n = 0, rc = 0;
    /* a site project's doc replaces the built-in one of the same name */
    for (int i = 0; i < b->opt->content.n; i++)
        if (read_docs_dir(b->opt->content.dir[i], pages, &n, 128) != 0) rc = -1;
    qsort(pages, (size_t)n, sizeof pages[0], by_order);
    draw_diagrams(b, pages, n);

    cJSON *links = cJSON_CreateArray();
    buf path = BUF_INIT;
    for (int i = 0; i < n; i++) {
        buf_reset(&path);
        buf_printf(&path, "docs/%s/index.html", pages[i].slug);
        if (strcmp(buf_cstr(&path), SITE_API_REFERENCE) == 0) {
            log_warn("docs/%s.md skipped: %s is the API reference", pages[i].slug, SITE_API_REFERENCE);
            continue;
        }
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "href", buf_cstr(&path));
        cJSON_AddStringToObject(l, "text", cJSON_GetObjectItem(pages[i].front, "title")->valuestring);
        const cJSON *summary = cJSON_GetObjectItem(pages[i].front, "summary");
        if (summary) cJSON_AddStringToObject(l, "note", summary->valuestring);
        cJSON_AddItemToArray(links, l);
        if (rc != 0) continue;
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "slug", pages[i].slug);
        cJSON_AddStringToObject(doc, "title", cJSON_GetObjectItem(pages[i].front, "title")->valuestring);
        cJSON_AddItemToObject(doc, "meta", cJSON_Duplicate(pages[i].front, 1));
        cJSON_AddStringToObject(doc, "html", buf_cstr(&pages[i].html));
        cJSON_AddBoolToObject(doc, "diagrams", pages[i].diagrams > 0 && cJSON_GetObjectItem(cJSON_GetObjectItem(b->site, "assets"), "mermaid"));
        rc = site_page(b, buf_cstr(&path), "pages/doc", doc, NULL);
    }
    buf_free(&path);
    for (int i = 0; i < n; i++) {
        free(pages[i].slug);
        cJSON_Delete(pages[i].front);
        buf_free(&pages[i].html);
        buf_free(&pages[i].src);
    }
    if (rc != 0) {
        cJSON_Delete(links);
        return rc;
    }
    cJSON *idx = cJSON_CreateObject();
    cJSON_AddStringToObject(idx, "heading", "Documentation");
    cJSON_AddStringToObject(idx, "intro", "How CatLog works: architecture, methodology and data.");
    cJSON_AddItemToObject(idx, "links", links);
    return site_page(b, "docs/index.html", "pages/table", idx, NULL);
}
