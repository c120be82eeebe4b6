#include "site/site.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/file.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "db/asof.h"
#include "db/db.h"
#include "db/history.h"
#include "site/build_internal.h"
#include "site/discard.h"
#include "site/jsonout.h"
#include "site/sqljson.h"
#include "site/workers.h"
#include "analytics/trending.h"

/* "anime/1/index.html" -> "api/anime/1.json"; "index.html" -> "api/index.json". */
static void derive_api_path(buf *out, const char *path)
{
    const char *idx = strstr(path, "index.html");
    buf_puts(out, "api/");
    if (idx && idx == path) buf_puts(out, "index");
    else if (idx) buf_append(out, path, (size_t)(idx - path - 1));
    else {
        const char *dot = strrchr(path, '.');
        buf_append(out, path, dot ? (size_t)(dot - path) : strlen(path));
    }
    buf_puts(out, ".json");
}

static void root_of(buf *out, const char *path)
{
    for (const char *p = path; *p; p++)
        if (*p == '/') buf_puts(out, "../");
}

int site_write_json(site_build_state *b, const char *path, const cJSON *doc)
{
    buf tmp = BUF_INIT;
    jsonout_write(&tmp, doc);
    buf_putc(&tmp, '\n');
    int rc = writer_put(b->w, path, tmp.data, tmp.len);
    buf_free(&tmp);
    return rc;
}

static int render_to(site_build_state *b, const char *path, const char *template, cJSON *doc)
{
    buf err = BUF_INIT, out = BUF_INIT;
    int rc = -1;
    mst_template *t = mst_load(b->ld, template, &err);
    if (t && mst_render(t, doc, b->ld, &out, &err) == 0) rc = writer_put(b->w, path, out.data ? out.data : "", out.len);
    if (rc != 0 && err.len) log_error("rendering %s with %s: %s", path, template, buf_cstr(&err));
    buf_free(&err);
    buf_free(&out);
    return rc;
}

int site_render_file(site_build_state *b, const char *path, const char *template, cJSON *doc)
{
    cJSON_AddItemReferenceToObject(doc, "site", b->site);
    int rc = render_to(b, path, template, doc);
    cJSON_Delete(doc);
    return rc;
}

int site_page(site_build_state *b, const char *path, const char *template, cJSON *doc, const char *api_path)
{
    return site_page_extra(b, path, template, doc, api_path, NULL);
}

int site_page_extra(site_build_state *b, const char *path, const char *template, cJSON *doc,
                    const char *api_path, cJSON *extra)
{
    if (interrupt_requested()) {
        log_error("site build interrupted");
        cJSON_Delete(doc);
        cJSON_Delete(extra);
        return -1;
    }
    buf api = BUF_INIT, root = BUF_INIT, canonical = BUF_INIT;
    if (api_path) buf_puts(&api, api_path);
    else derive_api_path(&api, path);
    int rc = 0;
    if (api.len) rc = site_write_json(b, buf_cstr(&api), doc);
    if (strcmp(path, "404.html") == 0) buf_printf(&root, "%s/", b->site_url);   /* served at any depth */
    else root_of(&root, path);
    if (extra) {
        cJSON *it = extra->child;
        while (it) {
            cJSON *next = it->next;
            cJSON_AddItemToObject(doc, it->string, cJSON_DetachItemViaPointer(extra, it));
            it = next;
        }
        cJSON_Delete(extra);
    }
    if (rc == 0) {
        cJSON_AddStringToObject(doc, "root", buf_cstr(&root));
        if (api.len) cJSON_AddStringToObject(doc, "api", buf_cstr(&api));
        if (*b->site_url) {
            buf_printf(&canonical, "%s/%s", b->site_url, path);
            cJSON_AddStringToObject(doc, "canonical", buf_cstr(&canonical));
        }
        cJSON_AddItemReferenceToObject(doc, "site", b->site);
        rc = render_to(b, path, template, doc);
    }
    if (rc == 0 && strcmp(path, "404.html") != 0) {
        buf_puts(&b->sitemap, path);
        buf_putc(&b->sitemap, '\n');
    }
    b->html_pages++;
    b->pages_done++;
    if (b->shared_pages) __atomic_add_fetch(b->shared_pages, 1, __ATOMIC_RELAXED);
    progress_update(&b->bar, b->pages_done);
    cJSON_Delete(doc);
    buf_free(&api);
    buf_free(&root);
    buf_free(&canonical);
    return rc;
}

static int latest_snapshot(catlog_ctx *ctx, date_day *out)
{
    bool found = false;
    if (asof_latest(ctx, out, &found) != 0) return -1;
    if (!found) log_error("no ranking snapshots yet: run catlog etl run (or catlog demo-data) first");
    return found ? 0 : -1;
}

/* The vendored copy of Mermaid: --mermaid, else vendor/ of an installed data directory, else
 * node_modules/ of a checkout. */
bool site_find_mermaid(const site_options *opt, buf *out)
{
    if (opt->mermaid_js) {
        buf_puts(out, opt->mermaid_js);
        return true;
    }
    static const char *const CANDIDATES[] = {"vendor/mermaid.min.js", "node_modules/mermaid/dist/mermaid.min.js"};
    for (size_t i = 0; opt->data_dir && i < sizeof CANDIDATES / sizeof CANDIDATES[0]; i++) {
        buf_reset(out);
        buf_printf(out, "%s/%s", opt->data_dir, CANDIDATES[i]);
        if (file_exists(buf_cstr(out))) return true;
    }
    return false;
}

/* The first layer holding rel, into out; false when none does. */
bool site_layers_find(const site_layers *l, const char *rel, buf *out)
{
    for (int i = 0; i < l->n; i++) {
        buf_reset(out);
        buf_printf(out, "%s/%s", l->dir[i], rel);
        if (file_exists(buf_cstr(out))) return true;
    }
    return false;
}

void site_layers_add(site_layers *l, const char *dir)
{
    if (l->n == SITE_MAX_LAYERS) return;
    l->dir[l->n] = xstrdup(dir);
    l->n++;
}

void site_options_free(site_options *o)
{
    site_layers *all[] = {&o->templates, &o->assets, &o->content};
    for (size_t k = 0; k < 3; k++) {
        for (int i = 0; i < all[k]->n; i++) free(all[k]->dir[i]);
        all[k]->n = 0;
    }
    free(o->data_dir);
    o->data_dir = NULL;
}

/* The assets templates name (site.assets.KEY), at the names pages have always used. Every
 * other file of the asset layers ships too, as assets/PATH, keyed by PATH with each
 * character other than a letter or digit made '_' ("img/logo.png" -> img_logo_png). */
static const struct {
    const char *src, *dest, *key;
} NAMED_ASSETS[] = {
    {"css/site.css", "assets/site.css", "css"},
    {"js/mermaid-init.js", "assets/mermaid-init.js", "mermaidInit"},
    {"js/search.js", "assets/search.js", "search"},
    {"js/tables.js", "assets/tables.js", "tables"},
    {"img/icon.svg", "assets/icon.svg", "icon"},
};
#define NUM_NAMED_ASSETS (sizeof NAMED_ASSETS / sizeof NAMED_ASSETS[0])

/* Collects relative paths, once each. */
static int collect_asset(const char *rel, void *ud)
{
    cJSON *seen = ud;
    if (!cJSON_GetObjectItemCaseSensitive(seen, rel)) cJSON_AddTrueToObject(seen, rel);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Ships one asset (from the first layer that has it) fingerprinted; records its name. */
static int ship_asset(site_build_state *b, cJSON *assets, const char *rel, const char *dest, const char *key)
{
    buf src = BUF_INIT, final = BUF_INIT, fallback_dest = BUF_INIT, fallback_key = BUF_INIT;
    int rc = 0;
    if (!site_layers_find(&b->opt->assets, rel, &src)) {
        log_error("asset %s not found in %s%s", rel, b->opt->assets.n ? b->opt->assets.dir[0] : "(no asset directory)",
                  b->opt->assets.n > 1 ? " or the built-in assets" : "");
        rc = -1;
    }
    if (rc == 0 && !dest) {
        buf_printf(&fallback_dest, "assets/%s", rel);
        dest = buf_cstr(&fallback_dest);
        for (const char *p = rel; *p; p++) {
            char c = *p;
            buf_putc(&fallback_key, (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        key = buf_cstr(&fallback_key);
    }
    if (rc == 0) rc = writer_copy(b->w, buf_cstr(&src), dest, 1, &final);
    if (rc == 0) cJSON_AddStringToObject(assets, key, buf_cstr(&final));
    buf_free(&src);
    buf_free(&final);
    buf_free(&fallback_dest);
    buf_free(&fallback_key);
    return rc;
}

static int copy_assets(site_build_state *b, cJSON *assets)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < NUM_NAMED_ASSETS; i++)
        rc = ship_asset(b, assets, NAMED_ASSETS[i].src, NAMED_ASSETS[i].dest, NAMED_ASSETS[i].key);
    /* every other file of every layer, in name order (the output must not depend on readdir) */
    cJSON *seen = cJSON_CreateObject();
    for (int i = 0; rc == 0 && i < b->opt->assets.n; i++) {
        rc = file_walk(b->opt->assets.dir[i], collect_asset, seen);
        if (rc != 0) log_error("cannot read the assets in %s: %s", b->opt->assets.dir[i], strerror(errno));
    }
    int n = cJSON_GetArraySize(seen);
    const char **names = xcalloc((size_t)(n ? n : 1), sizeof *names);
    int k = 0;
    for (const cJSON *it = seen->child; it; it = it->next) names[k++] = it->string;
    qsort(names, (size_t)k, sizeof *names, by_name);
    for (int i = 0; rc == 0 && i < k; i++) {
        bool named = false;
        for (size_t j = 0; j < NUM_NAMED_ASSETS && !named; j++) named = strcmp(names[i], NAMED_ASSETS[j].src) == 0;
        if (!named) rc = ship_asset(b, assets, names[i], NULL, NULL);
    }
    free(names);
    cJSON_Delete(seen);

    buf mermaid = BUF_INIT, final = BUF_INIT;
    if (rc == 0 && site_find_mermaid(b->opt, &mermaid)) {
        rc = writer_copy(b->w, buf_cstr(&mermaid), "assets/mermaid.min.js", 1, &final);
        if (rc == 0) cJSON_AddStringToObject(assets, "mermaid", buf_cstr(&final));
    } else if (rc == 0) {
        log_warn("mermaid.min.js not found (./build.sh installs it; or pass --mermaid FILE): docs show diagram sources as text");
    }
    buf_free(&mermaid);
    buf_free(&final);
    return rc;
}

/* Staging directory next to the target, so the final rename stays on one filesystem. */
static int make_staging(const char *out_dir, buf *staging)
{
    buf_printf(staging, "%s.staging-%d", out_dir, (int)getpid());
    file_remove_tree(buf_cstr(staging));
    if (file_mkdirs(buf_cstr(staging)) != 0) {
        log_error("cannot create %s: %s", buf_cstr(staging), strerror(errno));
        return -1;
    }
    return 0;
}

/* Puts staging in place of out_dir: an atomic exchange when out_dir exists. */
static int swap_in(const char *out_dir, const char *staging)
{
    struct stat st;
    if (stat(out_dir, &st) != 0) {
        if (rename(staging, out_dir) == 0) return 0;
    } else if (renameat2(AT_FDCWD, staging, AT_FDCWD, out_dir, RENAME_EXCHANGE) == 0) {
        discard_trees(out_dir, staging);   /* staging now holds the previous site */
        return 0;
    }
    log_error("cannot move the new site into %s: %s", out_dir, strerror(errno));
    return -1;
}

/* Distinct snapshot dates up to as_of, by skipping through the date index (one probe per
 * day) rather than reading every ranking row. */
static int count_snapshot_days(catlog_ctx *ctx, const char *as_of)
{
    const char *p[1] = {as_of};
    long long n;
    if (db_query_int64(ctx, "counting snapshot days",
                       "WITH RECURSIVE d(x) AS (SELECT min(\"snapshotDate\") FROM \"DailyRankings\""
                       " UNION ALL SELECT (SELECT min(\"snapshotDate\") FROM \"DailyRankings\" WHERE \"snapshotDate\" > d.x)"
                       " FROM d WHERE d.x < $1::date)"
                       " SELECT count(x) FROM d WHERE x <= $1::date", 1, p, &n, NULL) != 0)
        return -1;
    return (int)n;
}

static long long count_anime(catlog_ctx *ctx)
{
    long long n;
    if (db_query_int64(ctx, "counting anime", "SELECT count(*) FROM \"ProcessedAnime\"", 0, NULL, &n, NULL) != 0) return -1;
    return n;
}

/* With CATLOG_TRACE set, how long a step since `started` took, on stderr (for profiling). */
static void trace_step(const char *name, double started)
{
    const char *trace = getenv("CATLOG_TRACE");
    if (trace && *trace) fprintf(stderr, "build step %-10s %.2f s (pid %d)\n", name, progress_now() - started, (int)getpid());
}

static int traced(site_build_state *b, const char *name, int (*step)(site_build_state *))
{
    double t = progress_now();
    int rc = step(b);
    trace_step(name, t);
    return rc;
}

/* site.lastEtl: when the last successful ETL run up to as-of finished (from the data, never
 * the clock: the same database gives the same pages). */
static int last_etl_run(catlog_ctx *ctx, const char *as_of, buf *out)
{
    const char *p[1] = {as_of};
    return db_query_text(ctx, "finding the last ETL run",
                         "SELECT to_char(max(\"endTime\"), 'YYYY-MM-DD HH24:MI') || ' UTC' FROM \"EtlLogs\""
                         " WHERE status = 'SUCCESS' AND \"startTime\" < $1::date + 1", 1, p, out);
}

/* The index-th step of one kind, in registry order; NULL past the last. */
static const site_step *step_of_kind(site_step_kind kind, int index)
{
    for (size_t i = 0; i < SITE_NUM_STEPS; i++)
        if (SITE_STEPS[i].kind == kind && index-- == 0) return &SITE_STEPS[i];
    return NULL;
}

static int count_of_kind(site_step_kind kind)
{
    int n = 0;
    while (step_of_kind(kind, n)) n++;
    return n;
}

/* Job j of a build: the sharded steps first (the most work), then the worker steps. */
static int run_job(site_build_state *b, int job)
{
    if (job < b->shards) {
        const site_step *st = NULL;
        int rc = 0;
        b->shard = job;
        for (int k = 0; rc == 0 && (st = step_of_kind(STEP_SHARDED, k)) != NULL; k++) rc = traced(b, st->name, st->run);
        return rc;
    }
    const site_step *st = step_of_kind(STEP_WORKER, job - b->shards);
    return traced(b, st->name, st->run);
}

/* What the building process does itself: the trending document and the pages made from it. */
static int own_steps(site_build_state *b)
{
    b->trending = trending_document(b->ctx, b->as_of);
    if (!b->trending) return -1;
    int rc = 0;
    const site_step *st;
    for (int k = 0; rc == 0 && (st = step_of_kind(STEP_PARENT, k)) != NULL; k++) rc = traced(b, st->name, st->run);
    return rc;
}

/* ---- the build as a workers_task: a worker writes its files straight into the staging
 * directory and reports them to the parent, one line per file for the manifest ("F ..."),
 * per sitemap entry ("S path") and its page count ("N n"). */

/* The parent's connection belongs to the parent: close this copy of its socket and free
 * the struct before anything else can reuse the descriptor, then connect afresh. */
static int worker_enter(void *ud, long long *shared_pages)
{
    site_build_state *b = ud;
    b->files_before_worker = writer_count(b->w);
    buf_reset(&b->sitemap);
    b->html_pages = 0;
    b->shared_pages = shared_pages;
    b->bar.enabled = false;
    if (b->ctx->db) {
        close(PQsocket(b->ctx->db));
        PQfinish(b->ctx->db);
        b->ctx->db = NULL;
    }
    return db_connect(b->ctx);
}

static int worker_job(void *ud, int job) { return run_job(ud, job); }
static int worker_meanwhile(void *ud) { return own_steps(ud); }
static void worker_leave(void *ud) { ctx_close(((site_build_state *)ud)->ctx); }

static void worker_report(const void *ud, buf *out)
{
    const site_build_state *b = ud;
    writer_export(b->w, b->files_before_worker, out);
    for (size_t i = 0; i < b->sitemap.len;) {
        const char *nl = memchr(b->sitemap.data + i, '\n', b->sitemap.len - i);
        size_t end = nl ? (size_t)(nl - b->sitemap.data) : b->sitemap.len;
        buf_puts(out, "S ");
        buf_append(out, b->sitemap.data + i, end - i);
        buf_putc(out, '\n');
        i = end + 1;
    }
    buf_printf(out, "N %lld\n", b->html_pages);
}

static int worker_merge(void *ud, char *report)
{
    site_build_state *b = ud;
    int rc = 0;
    char *save = NULL;
    for (char *line = strtok_r(report, "\n", &save); rc == 0 && line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == 'F') rc = writer_import(b->w, line);
        else if (line[0] == 'S' && line[1] == ' ') {
            buf_puts(&b->sitemap, line + 2);
            buf_putc(&b->sitemap, '\n');
        } else if (line[0] == 'N' && line[1] == ' ') b->html_pages += atoll(line + 2);
        else if (line[0]) {
            log_error("a build worker sent a malformed report line: %.80s", line);
            rc = -1;
        }
    }
    return rc;
}

static void worker_progress(void *ud, long long shared_pages, bool final)
{
    site_build_state *b = ud;
    if (final) b->pages_done += shared_pages;
    else progress_update(&b->bar, b->pages_done + shared_pages);
}

/* One worker per core, up to 8. */
static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

int site_build(catlog_ctx *ctx, const site_options *opt, site_summary *out)
{
    double t0 = progress_now();
    if (db_connect(ctx) != 0) return -1;
    site_build_state b = {0};
    b.ctx = ctx;
    b.opt = opt;
    b.as_of = opt->as_of;
    if (!opt->have_as_of && latest_snapshot(ctx, &b.as_of) != 0) return -1;
    date_format(b.as_of, b.as_of_s);
    buf site_url = BUF_INIT;
    if (!opt->site_url || !*opt->site_url)
        log_info("building for local viewing at %s (set site.url in catlog.yaml, --site-url or CATLOG_SITE_URL "
                 "to the address the site is served from)", SITE_LOCAL_URL);
    buf_puts(&site_url, opt->site_url && *opt->site_url ? opt->site_url : SITE_LOCAL_URL);
    while (site_url.len && site_url.data[site_url.len - 1] == '/') site_url.data[--site_url.len] = '\0';
    b.site_url = buf_cstr(&site_url);
    buf out_dir = BUF_INIT, staging = BUF_INIT, last_etl = BUF_INIT;
    /* anime whose snapshots changed other than by appending get their history repacked */
    if (history_sync(ctx) != 0) goto fail_early;
    long long anime = count_anime(ctx);
    if (anime < 0) goto fail_early;
    b.days_of_history = count_snapshot_days(ctx, b.as_of_s);
    if (b.days_of_history < 0) goto fail_early;
    if (last_etl_run(ctx, b.as_of_s, &last_etl) != 0) goto fail_early;

    /* "site/" and "site" are the same target; the staging directory must sit beside it */
    buf_puts(&out_dir, opt->out_dir);
    while (out_dir.len > 1 && out_dir.data[out_dir.len - 1] == '/') out_dir.data[--out_dir.len] = '\0';
    discard_trees(buf_cstr(&out_dir), NULL);   /* what builds that died left behind */
    if (make_staging(buf_cstr(&out_dir), &staging) != 0) goto fail_early;
    b.w = writer_open(buf_cstr(&staging));
    b.ld = mst_loader_dirs((const char *const *)opt->templates.dir, opt->templates.n);
    mst_loader_set_strict(b.ld, true);   /* a missing partial is a bug in the site, not data */
    b.site = cJSON_CreateObject();
    cJSON_AddStringToObject(b.site, "asOf", b.as_of_s);
    cJSON_AddStringToObject(b.site, "siteUrl", b.site_url);
    cJSON_AddStringToObject(b.site, "title", opt->title ? opt->title : "");
    if (opt->description) cJSON_AddStringToObject(b.site, "description", opt->description);
    cJSON *assets = cJSON_AddObjectToObject(b.site, "assets");
    cJSON_AddItemToObject(b.site, "nav", site_nav());
    if (last_etl.len) cJSON_AddStringToObject(b.site, "lastEtl", buf_cstr(&last_etl));
    progress_start(&b.bar, "building site", site_expected_pages(anime), opt->progress);

    b.shards = opt->jobs > 0 ? opt->jobs : default_jobs();
    int rc = copy_assets(&b, assets);
    if (rc == 0) rc = site_genre_slugs_load(&b);   /* before the workers fork: they share it */
    /* workers render the anime pages (one shard each) and the other database-heavy pages
     * while this process computes the trending document and the pages built from it */
    int njobs = b.shards + count_of_kind(STEP_WORKER);
    if (rc == 0 && b.shards > 1) {
        workers_task task = {&b, njobs, worker_enter, worker_job, worker_report, worker_leave, worker_merge,
                             worker_meanwhile, worker_progress};
        rc = workers_run(&task, b.shards);
    }
    else if (rc == 0) {
        rc = own_steps(&b);
        for (int j = 0; rc == 0 && j < njobs; j++) rc = run_job(&b, j);
    }
    const site_step *last;
    for (int k = 0; rc == 0 && (last = step_of_kind(STEP_LAST, k)) != NULL; k++) rc = traced(&b, last->name, last->run);
    if (rc == 0) rc = writer_finish_manifest(b.w, b.site_url);
    if (opt->progress) progress_finish(&b.bar);
    if (out) {
        out->pages = b.html_pages;
        out->files = (long long)writer_count(b.w);
    }
    writer_close(b.w);
    mst_loader_free(b.ld);
    cJSON_Delete(b.site);
    cJSON_Delete(b.trending);
    cJSON_Delete(b.genre_slugs);
    buf_free(&b.sitemap);
    double t_swap = progress_now();
    if (rc == 0) rc = swap_in(buf_cstr(&out_dir), buf_cstr(&staging));
    trace_step("swap", t_swap);
    if (rc != 0) {
        file_remove_tree(buf_cstr(&staging));
        log_error("site build failed; %s is unchanged", opt->out_dir);
    }
    buf_free(&staging);
    buf_free(&out_dir);
    buf_free(&site_url);
    buf_free(&last_etl);
    if (out) out->seconds = progress_now() - t0;
    return rc;
fail_early:
    buf_free(&last_etl);
    buf_free(&staging);
    buf_free(&out_dir);
    buf_free(&site_url);
    return -1;
}
