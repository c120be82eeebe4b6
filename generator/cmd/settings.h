/* settings: every setting of catlog, declared once (cmd/settings.c): its key in catlog.yaml,
 * its flag, its environment variable, type, default and help. The commands' option parsing,
 * --help, `catlog config` and the options handed to the site, ETL and publish modules all
 * come from this table. */
#ifndef CATLOG_SETTINGS_H
#define CATLOG_SETTINGS_H

#include "core/config.h"
#include "etl/etl.h"
#include "export/export.h"
#include "publish/publish.h"
#include "site/site.h"

/* Groups: which commands take a setting as a flag. */
enum {
    G_DB = 1u << 0,         /* every command that talks to PostgreSQL */
    G_SITE = 1u << 1,       /* site.*: what the site says about itself */
    G_OUT = 1u << 2,        /* the built site's directory (build and publish) */
    G_BUILD = 1u << 3,      /* build.*: how it is rendered */
    G_AS_OF = 1u << 4,      /* build / analytics for a past date */
    G_JIKAN = 1u << 5,
    G_ETL = 1u << 6,
    G_ETL_DATE = 1u << 7,
    G_PUBLISH = 1u << 8,
    G_PUBLISH_ONCE = 1u << 9,   /* publish by hand only: --dry-run, --verbose */
    G_ALERT = 1u << 10,     /* nightly and watch: the webhook */
    G_NIGHTLY = 1u << 11,
    G_WATCH = 1u << 12,
    G_LOGS = 1u << 13,
    G_PRETTY = 1u << 14,
    G_QUALITY = 1u << 15,
    G_DEMO = 1u << 16,
    G_RENDER = 1u << 17,
    G_INIT = 1u << 18,
    G_DATA = 1u << 19,      /* where the built-in templates, assets and docs are */
    G_EXPORT = 1u << 20,    /* export and nightly: the Parquet export */
};
/* Everything a site runs with: what `catlog config` shows and accepts. */
#define G_PERSISTENT (G_DB | G_SITE | G_OUT | G_BUILD | G_DATA | G_AS_OF | G_JIKAN | G_ETL | G_PUBLISH | \
                      G_ALERT | G_NIGHTLY | G_WATCH | G_EXPORT)

typedef enum {
    S_DATABASE_URL,
    S_SITE_URL, S_SITE_TITLE, S_SITE_DESCRIPTION,
    S_OUT, S_JOBS, S_TEMPLATES, S_ASSETS, S_CONTENT, S_MERMAID, S_DATA_DIR, S_AS_OF,
    S_JIKAN_URL, S_PAGES, S_JIKAN_RETRIES, S_JIKAN_TIMEOUT, S_MAX_RESPONSE,
    S_RAW_DIR, S_KEEP_RAW_DAYS, S_KEEP_LOG_DAYS, S_ETL_DATE,
    S_TARGET, S_DELETE, S_FULL, S_PARALLEL, S_PUBLISH_RETRIES, S_ASSET_GRACE, S_CACHE_IMMUTABLE,
    S_CACHE_PAGE, S_PURGE_URL, S_ALLOW_LOCAL_URL, S_DRY_RUN, S_VERBOSE,
    S_WEBHOOK, S_STEP_RETRIES, S_RETRY_DELAY, S_WAIT, S_QUIET_PERIOD,
    S_LIMIT, S_PRETTY, S_QUALITY_DATE,
    S_ANIME, S_DAYS, S_END, S_SEED, S_REPLACE,
    S_PARTIALS, S_STRICT,
    S_COPY_TEMPLATES,
    S_EXPORT_TO, S_EXPORT_FULL, S_ROW_GROUP_ROWS,
    S__COUNT
} setting_id;

extern const conf_setting SETTINGS[S__COUNT];

/* The module options a command runs with, from the resolved settings. The site's
 * template, asset and content layers are resolved here too (flag, project, data directory);
 * -1 after one line when the built-in data cannot be found. */
int settings_site(const config *c, site_options *o, bool progress);
void settings_etl(const config *c, etl_options *o, bool progress);
void settings_publish(const config *c, publish_options *o, bool progress);
void settings_export(const config *c, export_options *o, bool progress);

#endif
