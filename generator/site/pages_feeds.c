/* sitemap.xml, feed.xml (Atom: one entry per snapshot date with that day's trending
 * highlights), robots.txt and 404.html. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "analytics/trending.h"
#include "core/log.h"
#include "db/db.h"
#include "render/escape.h"
#include "site/build_internal.h"
#include "site/jsonout.h"

#define FEED_ENTRIES_SQL "10"   /* the latest days in the feed */

/* Text in the feed: escaped, without the characters XML forbids (esc_html drops them). */
static void xml_text(buf *out, const char *s) { esc_html(out, s, strlen(s)); }

static void highlight(buf *out, const cJSON *trending, const char *key, const char *label, const char *field,
                      const char *unit)
{
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(trending, key), 0);
    if (!first) return;
    const cJSON *title = cJSON_GetObjectItem(first, "title");
    const cJSON *v = cJSON_GetObjectItem(first, field);
    if (!cJSON_IsString(title) || !cJSON_IsNumber(v)) return;
    char num[32];
    snprintf(num, sizeof num, strcmp(unit, "places") == 0 ? "%.0f" : "%.2f", v->valuedouble);
    buf_printf(out, "%s: %s (+%s %s). ", label, title->valuestring, num, unit);
}

/* Keeps this as-of date's trending document for the feeds of later builds. */
static int store_trending(site_build_state *b)
{
    buf json = BUF_INIT;
    jsonout_write(&json, b->trending);
    const char *p[2] = {b->as_of_s, buf_cstr(&json)};
    PGresult *r = db_query(b->ctx, "storing the trending snapshot",
                           "INSERT INTO \"TrendingSnapshots\" (\"asOf\", \"document\") VALUES ($1, $2)"
                           " ON CONFLICT (\"asOf\") DO UPDATE SET \"document\" = EXCLUDED.\"document\"", 2, p);
    buf_free(&json);
    PQclear(r);
    return r ? 0 : -1;
}

static int feed(site_build_state *b)
{
    if (store_trending(b) != 0) return -1;
    const char *p[1] = {b->as_of_s};
    PGresult *r = db_query(b->ctx, "feed entries",
                           "SELECT \"asOf\"::text, \"document\"::text FROM \"TrendingSnapshots\" WHERE \"asOf\" <= $1::date"
                           " ORDER BY \"asOf\" DESC LIMIT " FEED_ENTRIES_SQL, 1, p);
    if (!r) return -1;
    buf out = BUF_INIT, summary = BUF_INIT;
    buf_puts(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    const char *title = b->opt->title ? b->opt->title : "";
    buf_puts(&out, "  <title>");
    xml_text(&out, title);
    buf_puts(&out, ": trending anime</title>\n  <id>");
    xml_text(&out, b->site_url);
    buf_puts(&out, "/</id>\n  <link rel=\"self\" href=\"");
    xml_text(&out, b->site_url);
    buf_puts(&out, "/feed.xml\"/>\n  <link href=\"");
    xml_text(&out, b->site_url);
    buf_printf(&out, "/\"/>\n  <updated>%sT00:00:00Z</updated>\n  <author><name>", b->as_of_s);
    xml_text(&out, title);
    buf_puts(&out, "</name></author>\n");
    int rc = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *d = PQgetvalue(r, i, 0);
        cJSON *t = cJSON_Parse(PQgetvalue(r, i, 1));
        if (!t) {
            log_error("feed: the stored trending document of %s does not parse (rebuild that date)", d);
            rc = -1;
            break;
        }
        buf_reset(&summary);
        const trending_metric *tm;
        for (int order = 1; (tm = trending_metric_in_feed(order)) != NULL; order++)
            highlight(&summary, t, tm->key, tm->feed_label, tm->feed_field, tm->feed_unit);
        if (summary.len == 0) buf_puts(&summary, "No big moves that day.");
        buf_printf(&out, "  <entry>\n    <title>Trending on %s</title>\n    <id>", d);
        xml_text(&out, b->site_url);
        buf_printf(&out, "/trending/%s</id>\n    <link href=\"", d);
        xml_text(&out, b->site_url);
        buf_printf(&out, "/trending/index.html\"/>\n    <updated>%sT00:00:00Z</updated>\n    <summary>", d);
        xml_text(&out, buf_cstr(&summary));
        buf_puts(&out, "</summary>\n  </entry>\n");
        cJSON_Delete(t);
    }
    PQclear(r);
    buf_puts(&out, "</feed>\n");
    if (rc == 0) rc = writer_put(b->w, "feed.xml", out.data, out.len);
    buf_free(&out);
    buf_free(&summary);
    return rc;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int sitemap(site_build_state *b)
{
    buf out = BUF_INIT;
    buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    /* sorted, so the file does not depend on build order */
    size_t n = 0;
    for (size_t i = 0; i < b->sitemap.len; i++) n += b->sitemap.data[i] == '\n';
    char **lines = xcalloc(n ? n : 1, sizeof(char *));
    char *save = NULL, *text = b->sitemap.data ? xstrdup(b->sitemap.data) : xstrdup("");
    size_t k = 0;
    for (char *l = strtok_r(text, "\n", &save); l && k < n; l = strtok_r(NULL, "\n", &save)) lines[k++] = l;
    qsort(lines, k, sizeof(char *), by_string);
    for (size_t i = 0; i < k; i++) {
        buf_puts(&out, "  <url><loc>");
        xml_text(&out, b->site_url);
        buf_putc(&out, '/');
        xml_text(&out, lines[i]);
        buf_printf(&out, "</loc><lastmod>%s</lastmod></url>\n", b->as_of_s);
    }
    buf_puts(&out, "</urlset>\n");
    free(lines);
    free(text);
    int rc = writer_put(b->w, "sitemap.xml", out.data, out.len);
    buf_free(&out);
    return rc;
}

int pages_feeds(site_build_state *b)
{
    /* 404 is served from any path, so its links are absolute */
    int rc = site_page(b, "404.html", "pages/404", cJSON_CreateObject(), "");
    if (rc == 0) rc = feed(b);
    if (rc == 0) rc = sitemap(b);
    if (rc == 0) {
        buf robots = BUF_INIT;
        buf_printf(&robots, "User-agent: *\nAllow: /\nSitemap: %s/sitemap.xml\n", b->site_url);
        rc = writer_put(b->w, "robots.txt", robots.data, robots.len);
        buf_free(&robots);
    }
    return rc;
}
