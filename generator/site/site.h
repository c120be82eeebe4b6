/* site: the page graph. Which pages exist, their URL, their document (cJSON from SQL) and
 * their template; built into a staging directory and swapped in only when complete. */
#ifndef CATLOG_SITE_H
#define CATLOG_SITE_H

#include <stdbool.h>

#include "core/ctx.h"
#include "core/date.h"

typedef struct {
    const char *out_dir;        /* default output */
    const char *templates_dir;  /* default templates */
    const char *assets_dir;     /* default assets */
    const char *content_dir;    /* default content */
    const char *mermaid_js;     /* mermaid.min.js to copy into the site; NULL: look in node_modules */
    const char *site_url;       /* absolute base for feed, sitemap, canonical and widget links */
    date_day as_of;
    bool have_as_of;            /* else: the latest snapshot date */
    bool progress;
    int jobs;                   /* worker processes; 0: one per core (up to 8); 1: none */
} site_options;

typedef struct {
    long long pages;            /* HTML pages */
    long long files;            /* every file in the manifest */
    double seconds;
} site_summary;

/* output/, templates/, assets/, content/ and the site URL from CATLOG_SITE_URL (else
 * http://127.0.0.1:8000, where the demo serves it); as-of: the latest snapshot. */
void site_default_options(site_options *o, bool progress);

int site_build(catlog_ctx *ctx, const site_options *opt, site_summary *out);

#endif
