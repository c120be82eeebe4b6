/* build_internal: what the page modules of one build share (site/ only). */
#ifndef CATLOG_SITE_BUILD_INTERNAL_H
#define CATLOG_SITE_BUILD_INTERNAL_H

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/progress.h"
#include "render/mustache.h"
#include "site/site.h"
#include "site/writer.h"

typedef struct {
    catlog_ctx *ctx;
    const site_options *opt;
    site_writer *w;
    mst_loader *ld;
    cJSON *site;            /* {asOf, siteUrl, assets: {...}}: shared by every page */
    cJSON *trending;        /* the trending document for as-of */
    cJSON *genre_slugs;     /* genre name -> slug (site_genre_slugs_load) */
    date_day as_of;
    char as_of_s[11];
    int days_of_history;    /* distinct snapshot dates up to as-of */
    const char *site_url;   /* without a trailing slash; "" when unknown */
    buf sitemap;            /* one page path per line */
    progress bar;
    long long pages_done;
    long long html_pages;
    int shard, shards;          /* anime pages: those with malId % shards == shard */
    long long *shared_pages;    /* in a build worker: every worker's rendered pages */
    size_t files_before_worker; /* in a build worker: the files written before it forked */
} site_build_state;

/* Renders doc (consumed) through `template` (e.g. "pages/anime") to `path`, and writes
 * the same document to api_path (NULL: derived from path; "" for none). */
int site_page(site_build_state *b, const char *path, const char *template, cJSON *doc, const char *api_path);
/* The same, with `extra` (consumed; may be NULL) merged into the document for rendering
 * only: presentation derived from the data (SVG charts) stays out of the API. */
int site_page_extra(site_build_state *b, const char *path, const char *template, cJSON *doc,
                    const char *api_path, cJSON *extra);

/* Renders doc (consumed) through `template` to `path` without layout bookkeeping: for
 * fragments and feeds. */
int site_render_file(site_build_state *b, const char *path, const char *template, cJSON *doc);

/* Writes doc (not consumed) as compact JSON to path. */
int site_write_json(site_build_state *b, const char *path, const cJSON *doc);

/* The first of l's directories holding rel (a relative path), into out; false when none does. */
bool site_layers_find(const site_layers *l, const char *rel, buf *out);
/* Mermaid's script (--mermaid, vendor/ or node_modules/ of the data directory), into out. */
bool site_find_mermaid(const site_options *opt, buf *out);

/* Appends v with thousands separators: 1772922 -> "1,772,922" (what FMT_INT does in SQL). */
void site_format_int(buf *out, long long v);

/* Lower-case ASCII slug: "Slice of Life" -> "slice-of-life"; "x" when nothing is left. */
void site_slug(buf *out, const char *s);

/* Genre names -> their page slugs, unique and bounded (site/slug.c): the plain slug, with a
 * stable suffix from the name's hash when it is empty, longer than SITE_SLUG_MAX, or shared
 * with another genre ("Sci Fi" / "Sci-Fi"). Loaded once per build, before the workers fork. */
#define SITE_SLUG_MAX 60
int site_genre_slugs_load(site_build_state *b);
/* The slug of genre `name` into out. */
void site_genre_slug(const site_build_state *b, const char *name, buf *out);

/* An SQL expression: a "TrendSignificance" direction in a reader's words. It is stored as the
 * sign of the fitted slope, and for ranks a falling number is a climb ("down" -> climbing). */
#define SITE_TREND_WORDS_SQL(metric, direction) \
    "CASE WHEN " direction " = 'flat' THEN 'no clear trend' WHEN " metric " = 'rank' THEN CASE " direction \
    " WHEN 'down' THEN 'climbing' ELSE 'falling' END WHEN " direction " = 'up' THEN 'rising' ELSE 'falling' END"

/* SQL: the seasons of the year, as the ETL keeps them; a season is part of page paths. */
#define SITE_SEASONS_SQL "('winter', 'spring', 'summer', 'fall')"

/* An SQL expression: the image URL column `col` when it is https:// and holds nothing that could
 * leave an attribute, else NULL. The ETL checks too; this holds for rows anything else wrote. */
#define SITE_SAFE_IMAGE_SQL(col) "CASE WHEN " col " ~ '^https://[^[:space:]\"''<>\\\\]+$' THEN " col " END"

/* Long lists (the all-anime index, a genre's anime) come in pages of SITE_PER_PAGE: page 1 at
 * DIR/index.html, page N at DIR/page/N/index.html. */
#define SITE_PER_PAGE 500
void site_page_path(buf *out, const char *dir, int page);
/* Adds to doc what partials/pagination shows (paginated, pagination, prev, next) when there
 * is more than one page. */
void site_pagination(cJSON *doc, const char *dir, int page, int pages);

/* The page registry (site/steps.c): the build's steps, where each runs, its nav links. */
typedef enum {
    STEP_SHARDED,   /* in every worker, on its shard (malId % shards) */
    STEP_WORKER,    /* one job for a worker */
    STEP_PARENT,    /* in the building process, from the trending document */
    STEP_LAST,      /* after all the others */
} site_step_kind;

#define SITE_NAV_PER_STEP 2
typedef struct {
    const char *href, *label;
    int order;                  /* position in the nav, 1..; 0: no link */
} site_nav_link;

typedef struct {
    const char *name;
    int (*run)(site_build_state *b);
    site_step_kind kind;
    int pages;                  /* pages it makes, for the progress total; -1: one per anime */
    site_nav_link nav[SITE_NAV_PER_STEP];
} site_step;

extern const site_step SITE_STEPS[];
extern const size_t SITE_NUM_STEPS;
/* [{href, label}] in nav order: site.nav in every page. */
cJSON *site_nav(void);
long long site_expected_pages(long long anime);

/* The page of each statistical table (site/pages_tables.c), indexed by stat_table_id
 * (analytics/stat_tables.h): one row per table. Its report is every row of the table. */
typedef struct {
    const char *heading, *intro;
    const char *const *cols;    /* the page's column headings */
    int ncols;
    const char *view_sql;       /* the rows the page shows, as cells; $1 is the as-of date */
} site_stat_page;

extern const site_stat_page SITE_STAT_PAGES[];

/* Page modules: each adds its pages. */
int pages_home(site_build_state *b);
int pages_trending(site_build_state *b);
int pages_anime(site_build_state *b);
int pages_seasons(site_build_state *b);
int pages_anime_index(site_build_state *b);  /* anime/index.html, its pages, search/ */
int pages_genres(site_build_state *b);
int pages_analytics(site_build_state *b);
int pages_operations(site_build_state *b);   /* quality + pipeline */
int pages_docs(site_build_state *b);
int pages_widgets(site_build_state *b);
int pages_api(site_build_state *b);          /* api/openapi.json and its reference page */
int pages_feeds(site_build_state *b);        /* sitemap, feed, robots, 404 */

/* The API reference page (docs/api/: no doc of content/docs may be named api). */
#define SITE_API_REFERENCE "docs/api/index.html"

#endif
