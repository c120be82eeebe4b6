#include "cmd/settings.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"
#include "site/datadir.h"

#define INT(lo, hi) CONF_INT, NULL, lo, hi
#define INT_DEF(d, lo, hi) CONF_INT, d, lo, hi

/* key, flag, alias, env, type, default, min, max, metavar, help, groups */
const conf_setting SETTINGS[S__COUNT] = {
    [S_DATABASE_URL] = {"database.url", "database-url", NULL, "DATABASE_URL", CONF_TEXT, NULL, 0, 0, "URL",
                        "PostgreSQL connection URL, without a password (unset: libpq's PG* variables)", G_DB},
    [S_SITE_URL] = {"site.url", "site-url", NULL, "CATLOG_SITE_URL", CONF_TEXT, NULL, 0, 0, "URL",
                    "the address the site is served from: absolute links in feed, sitemap, canonical, "
                    "404 page and widgets (unset: built for local viewing at " SITE_LOCAL_URL ")", G_SITE},
    [S_SITE_TITLE] = {"site.title", "site-title", NULL, "CATLOG_SITE_TITLE", CONF_TEXT, "CatLog", 0, 0, "TEXT",
                      "the site's name, in every page title, the header and the feed", G_SITE},
    [S_SITE_DESCRIPTION] = {"site.description", "site-description", NULL, "CATLOG_SITE_DESCRIPTION", CONF_TEXT,
                            "Anime rankings, trends and statistics from MyAnimeList data.", 0, 0, "TEXT",
                            "the pages' meta description", G_SITE},
    [S_OUT] = {"build.out", "out", NULL, "CATLOG_OUT", CONF_PATH, "output", 0, 0, "DIR",
               "the built site's directory", G_OUT},
    [S_JOBS] = {"build.jobs", "jobs", NULL, "CATLOG_JOBS", INT(1, 16), "N",
                "worker processes rendering pages (unset: one per core, up to 8; 1: none)", G_BUILD},
    [S_TEMPLATES] = {"build.templates", "templates", NULL, "CATLOG_TEMPLATES", CONF_PATH, NULL, 0, 0, "DIR",
                     "templates that replace the built-in ones file by file (a site project's templates/ "
                     "is used without it)", G_BUILD},
    [S_ASSETS] = {"build.assets", "assets", NULL, "CATLOG_ASSETS", CONF_PATH, NULL, 0, 0, "DIR",
                  "assets that replace the built-in ones file by file (and the project's assets/)", G_BUILD},
    [S_CONTENT] = {"build.content", "content", NULL, "CATLOG_CONTENT", CONF_PATH, NULL, 0, 0, "DIR",
                   "Markdown content (docs/*.md) added to and replacing the built-in docs", G_BUILD},
    [S_MERMAID] = {"build.mermaid", "mermaid", NULL, "CATLOG_MERMAID_JS", CONF_PATH, NULL, 0, 0, "FILE",
                   "mermaid.min.js to ship for the docs' diagrams (unset: the vendored copy)", G_BUILD},
    [S_DATA_DIR] = {NULL, "data-dir", NULL, "CATLOG_DATA_DIR", CONF_PATH, NULL, 0, 0, "DIR",
                    "catlog's built-in templates, assets, docs and vendor/ (unset: next to the executable)",
                    G_DATA},
    [S_AS_OF] = {"build.as_of", "as-of", NULL, "CATLOG_AS_OF", CONF_DATE, NULL, 0, 0, "DATE",
                 "build (or compute) as of this date (unset: the latest snapshot)", G_AS_OF},
    [S_JIKAN_URL] = {"jikan.base_url", "jikan-url", NULL, "JIKAN_BASE_URL", CONF_TEXT, "https://api.jikan.moe/v4",
                     0, 0, "URL", "the Jikan API", G_JIKAN},
    [S_PAGES] = {"jikan.pages", "pages", NULL, "CATLOG_PAGES", INT_DEF("4", 1, 5000), "N",
                 "pages of 25 top anime to fetch", G_JIKAN},
    [S_JIKAN_RETRIES] = {"jikan.retries", "jikan-retries", "retries", NULL, INT_DEF("3", 0, 20), "N",
                         "retries per request on 429, 5xx, timeouts and connection errors", G_JIKAN},
    [S_JIKAN_TIMEOUT] = {"jikan.timeout", "timeout", NULL, NULL, INT_DEF("30", 1, 600), "SECS",
                         "whole-request timeout", G_JIKAN},
    [S_MAX_RESPONSE] = {"jikan.max_response", "max-response", NULL, NULL, INT_DEF("8", 1, 1024), "MIB",
                        "largest response accepted, counted after decompression as it arrives (a bigger or "
                        "endless body fails the run)", G_JIKAN},
    [S_RAW_DIR] = {"etl.raw_dir", "raw-dir", NULL, "CATLOG_RAW_DIR", CONF_PATH, "data/raw", 0, 0, "DIR",
                   "archive of the pages as received (DIR/YYYY-MM-DD/top-anime-pP.json)", G_ETL},
    [S_KEEP_RAW_DAYS] = {"etl.keep_raw_days", "keep-raw-days", NULL, NULL, INT_DEF("90", 1, 100000), "N",
                         "days of \"RawAnimeData\" rows kept", G_ETL},
    [S_KEEP_LOG_DAYS] = {"etl.keep_log_days", "keep-log-days", NULL, NULL, INT_DEF("365", 1, 100000), "N",
                         "days of \"EtlLogs\" rows kept", G_ETL},
    [S_ETL_DATE] = {NULL, "date", NULL, NULL, CONF_DATE, NULL, 0, 0, "DATE",
                    "the snapshot date to load (unset: today, UTC)", G_ETL_DATE},
    [S_TARGET] = {"publish.target", "to", "publish-to", "CATLOG_PUBLISH_TO", CONF_TEXT, NULL, 0, 0, "TARGET",
                  "where the site is published: s3://BUCKET[/PREFIX] or a directory", G_PUBLISH},
    [S_DELETE] = {"publish.delete", "delete", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL,
                  "remove published objects that are no longer in the site (assets after --asset-grace)",
                  G_PUBLISH},
    [S_FULL] = {NULL, "full", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL,
                "compare with the bucket's listing (ETags) instead of the published manifest", G_PUBLISH},
    [S_PARALLEL] = {"publish.parallel", "parallel", NULL, NULL, INT_DEF("16", 1, 256), "N", "uploads at once",
                    G_PUBLISH},
    [S_PUBLISH_RETRIES] = {"publish.retries", "retries", NULL, NULL, INT_DEF("4", 0, 20), "N",
                           "retries per request on 5xx, 429 and connection errors", G_PUBLISH},
    [S_ASSET_GRACE] = {"publish.asset_grace", "asset-grace", NULL, NULL, INT_DEF("3600", 0, 100000000), "SECS",
                       "how long a retired asset stays for pages cached at the edge", G_PUBLISH},
    [S_CACHE_IMMUTABLE] = {"publish.cache_immutable", "cache-immutable", NULL, "CATLOG_CACHE_IMMUTABLE", CONF_TEXT,
                           POLICY_CACHE_IMMUTABLE_DEFAULT, 0, 0, "VALUE",
                           "Cache-Control of fingerprinted assets", G_PUBLISH},
    [S_CACHE_PAGE] = {"publish.cache_page", "cache-page", NULL, "CATLOG_CACHE_PAGE", CONF_TEXT,
                      POLICY_CACHE_PAGE_DEFAULT, 0, 0, "VALUE", "Cache-Control of pages, JSON and feeds", G_PUBLISH},
    [S_PURGE_URL] = {"publish.purge_url", "purge-url", NULL, "CATLOG_PURGE_URL", CONF_TEXT, NULL, 0, 0, "URL",
                     "CDN invalidation hook: POST {\"target\", \"paths\"} there after a publish "
                     "(CATLOG_PURGE_TOKEN, if set, is its bearer token)", G_PUBLISH},
    [S_ALLOW_LOCAL_URL] = {"publish.allow_local_url", "allow-local-url", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL,
                           "publish to s3:// a site built for a loopback or local address", G_PUBLISH},
    [S_DRY_RUN] = {NULL, "dry-run", "n", NULL, CONF_BOOL, "false", 0, 0, NULL,
                   "print what would be uploaded and deleted, change nothing", G_PUBLISH_ONCE},
    [S_VERBOSE] = {NULL, "verbose", "v", NULL, CONF_BOOL, "false", 0, 0, NULL, "one line per request",
                   G_PUBLISH_ONCE | G_EXPORT},
    [S_WEBHOOK] = {"nightly.webhook", "webhook", NULL, "CATLOG_WEBHOOK_URL", CONF_TEXT, NULL, 0, 0, "URL",
                   "gets a Slack-compatible {\"text\": ...} on success and failure", G_ALERT},
    [S_STEP_RETRIES] = {"nightly.step_retries", "step-retries", NULL, NULL, INT_DEF("1", 0, 10), "N",
                        "retries of the extract and publish steps", G_NIGHTLY},
    [S_RETRY_DELAY] = {"nightly.retry_delay", "retry-delay", NULL, NULL, INT_DEF("60", 0, 3600), "SECS",
                       "wait before a step is retried", G_NIGHTLY},
    [S_WAIT] = {NULL, "wait", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL,
                "wait for a running nightly to finish instead of exiting 3", G_NIGHTLY},
    [S_QUIET_PERIOD] = {"watch.quiet_period", "quiet-period", NULL, NULL, INT_DEF("5", 0, 3600), "SECS",
                        "rebuild once notifications have been quiet this long", G_WATCH},
    [S_LIMIT] = {NULL, "limit", NULL, NULL, INT_DEF("20", 1, 100000), "N", "how many runs to list", G_LOGS},
    [S_PRETTY] = {NULL, "pretty", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL, "indent the JSON", G_PRETTY},
    [S_QUALITY_DATE] = {NULL, "date", NULL, NULL, CONF_DATE, NULL, 0, 0, "DATE",
                        "the snapshot to check (unset: the latest)", G_QUALITY},
    [S_ANIME] = {NULL, "anime", NULL, NULL, INT_DEF("500", 1, 1000000), "N", "number of anime", G_DEMO},
    [S_DAYS] = {NULL, "days", NULL, NULL, INT_DEF("120", 1, 36500), "N", "days of history ending at --end", G_DEMO},
    [S_END] = {NULL, "end", NULL, NULL, CONF_DATE, NULL, 0, 0, "DATE", "the last snapshot date (unset: today, UTC)",
               G_DEMO},
    [S_SEED] = {NULL, "seed", NULL, NULL, INT_DEF("1", 0, 0x7fffffffffffffffLL), "S",
                "random seed; the same arguments give identical tables", G_DEMO},
    [S_REPLACE] = {NULL, "replace", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL,
                   "overwrite data already in those tables", G_DEMO},
    [S_PARTIALS] = {NULL, "partials", NULL, NULL, CONF_PATH, NULL, 0, 0, "DIR",
                    "where {{>name}} and {{<name}} find DIR/name.mustache (unset: the template's folder)", G_RENDER},
    [S_STRICT] = {NULL, "strict", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL,
                  "a missing partial is an error instead of rendering as nothing", G_RENDER},
    [S_COPY_TEMPLATES] = {NULL, "copy-templates", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL,
                          "copy every built-in template into the project to start customizing", G_INIT},
    [S_EXPORT_TO] = {"export.target", "export-to", "to", "CATLOG_EXPORT_TO", CONF_TEXT, NULL, 0, 0, "TARGET",
                     "where the Parquet export goes: a directory or s3://BUCKET[/PREFIX] (nightly exports after "
                     "publishing when it is set)", G_EXPORT},
    [S_EXPORT_FULL] = {NULL, "export-full", "full", NULL, CONF_BOOL, "false", 0, 0, NULL,
                       "rewrite every partition, not only those whose rows changed", G_EXPORT},
    [S_ROW_GROUP_ROWS] = {"export.row_group_rows", "row-group-rows", NULL, NULL, INT_DEF("1048576", 1000, 100000000),
                          "N", "rows per Parquet row group", G_EXPORT},
};

/* A project directory that exists, e.g. "<project>/templates". */
static void S_add_project_layer(const config *c, site_layers *l, const char *sub)
{
    if (!c->project_dir) return;
    buf dir = BUF_INIT;
    buf_printf(&dir, "%s/%s", c->project_dir, sub);
    if (file_exists(buf_cstr(&dir))) site_layers_add(l, buf_cstr(&dir));
    buf_free(&dir);
}

/* Lookup order: the flag (or its variable or key), the site project, the data directory. */
static void S_layers(const config *c, site_layers *l, int id, const char *sub, const char *data_dir)
{
    if (config_is_set(c, id)) site_layers_add(l, config_text(c, id));
    S_add_project_layer(c, l, sub);
    buf dir = BUF_INIT;
    buf_printf(&dir, "%s/%s", data_dir, sub);
    site_layers_add(l, buf_cstr(&dir));
    buf_free(&dir);
}

int settings_site(const config *c, site_options *o, bool progress)
{
    buf data_dir = BUF_INIT;
    memset(o, 0, sizeof *o);
    if (datadir_find(config_text(c, S_DATA_DIR), &data_dir) != 0) {
        buf_free(&data_dir);
        return -1;
    }
    o->out_dir = config_text(c, S_OUT);
    o->data_dir = buf_detach(&data_dir);
    S_layers(c, &o->templates, S_TEMPLATES, "templates", o->data_dir);
    S_layers(c, &o->assets, S_ASSETS, "assets", o->data_dir);
    S_layers(c, &o->content, S_CONTENT, "content", o->data_dir);
    o->mermaid_js = config_text(c, S_MERMAID);
    o->site_url = config_text(c, S_SITE_URL);
    o->title = config_text(c, S_SITE_TITLE);
    o->description = config_text(c, S_SITE_DESCRIPTION);
    o->have_as_of = config_is_set(c, S_AS_OF);
    o->as_of = (date_day)config_int(c, S_AS_OF);
    o->jobs = (int)config_int(c, S_JOBS);
    o->progress = progress;
    return 0;
}

void settings_etl(const config *c, etl_options *o, bool progress)
{
    memset(o, 0, sizeof *o);
    o->pages = (int)config_int(c, S_PAGES);
    o->date = config_is_set(c, S_ETL_DATE) ? (date_day)config_int(c, S_ETL_DATE) : date_today_utc();
    o->raw_dir = config_text(c, S_RAW_DIR);
    o->keep_raw_days = (int)config_int(c, S_KEEP_RAW_DAYS);
    o->keep_log_days = (int)config_int(c, S_KEEP_LOG_DAYS);
    o->progress = progress;
    jikan_default_options(&o->http);
    o->http.base_url = config_text(c, S_JIKAN_URL);
    o->http.max_retries = (int)config_int(c, S_JIKAN_RETRIES);
    o->http.timeout_s = (long)config_int(c, S_JIKAN_TIMEOUT);
    o->http.max_body = (size_t)config_int(c, S_MAX_RESPONSE) << 20;
}

void settings_publish(const config *c, publish_options *o, bool progress)
{
    const char *token = getenv("CATLOG_PURGE_TOKEN");   /* a secret: never a setting */
    memset(o, 0, sizeof *o);
    o->site_dir = config_text(c, S_OUT);
    o->target = config_text(c, S_TARGET);
    o->dry_run = config_bool(c, S_DRY_RUN);
    o->delete_removed = config_bool(c, S_DELETE);
    o->full = config_bool(c, S_FULL);
    o->parallel = (int)config_int(c, S_PARALLEL);
    o->retries = (int)config_int(c, S_PUBLISH_RETRIES);
    o->cache.immutable = config_text(c, S_CACHE_IMMUTABLE);
    o->cache.page = config_text(c, S_CACHE_PAGE);
    o->asset_grace_s = (double)config_int(c, S_ASSET_GRACE);
    o->purge_url = config_text(c, S_PURGE_URL);
    o->purge_token = token && *token ? token : NULL;
    o->allow_local_url = config_bool(c, S_ALLOW_LOCAL_URL);
    o->progress = progress;
    o->verbose = config_bool(c, S_VERBOSE);
}

void settings_export(const config *c, export_options *o, bool progress)
{
    memset(o, 0, sizeof *o);
    o->target = config_text(c, S_EXPORT_TO);
    o->full = config_bool(c, S_EXPORT_FULL);
    o->row_group_rows = (long)config_int(c, S_ROW_GROUP_ROWS);
    o->parallel = (int)config_int(c, S_PARALLEL);
    o->retries = (int)config_int(c, S_PUBLISH_RETRIES);
    o->verbose = config_bool(c, S_VERBOSE);
    o->progress = progress;
}
