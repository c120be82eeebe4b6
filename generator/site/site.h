/* site: the page graph. Which pages exist, their URL, their document (cJSON from SQL) and
 * their template; built into a staging directory and swapped in only when complete. */
#ifndef CATLOG_SITE_H
#define CATLOG_SITE_H

#include <stdbool.h>

#include "core/ctx.h"
#include "core/date.h"

/* Where one kind of source file is looked up: the first directory holding a file wins, as a
 * site project's templates/ overrides the built-in ones file by file. */
#define SITE_MAX_LAYERS 3
typedef struct {
    char *dir[SITE_MAX_LAYERS];
    int n;
} site_layers;

/* Where the site is viewed when no address is configured. */
#define SITE_LOCAL_URL "http://127.0.0.1:8000"

typedef struct {
    const char *out_dir;
    site_layers templates, assets, content;
    char *data_dir;             /* the built-in files; vendor/ (or node_modules/) holds mermaid */
    const char *mermaid_js;     /* mermaid.min.js to copy into the site; NULL: look in data_dir */
    const char *site_url;       /* absolute base for feed, sitemap, canonical, 404 and widget
                                 * links; NULL: built for local viewing at SITE_LOCAL_URL */
    const char *title;          /* the site's name in every page */
    const char *description;    /* its meta description */
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

/* Appends dir to layers (copied); lower precedence than those already there. */
void site_layers_add(site_layers *l, const char *dir);
/* Frees the layers and data_dir. */
void site_options_free(site_options *o);

int site_build(catlog_ctx *ctx, const site_options *opt, site_summary *out);

#endif
