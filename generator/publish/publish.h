/* publish: puts a built site where readers get it (an S3-compatible bucket or a local
 * directory), sending only what changed, in an order that never leaves a page a CDN
 * serves pointing at a missing asset: plan (manifest diff), assets, pages, sitemap/feed,
 * manifest, deletions, then the optional CDN purge hook and a summary. */
#ifndef CATLOG_PUBLISH_H
#define CATLOG_PUBLISH_H

#include <stdbool.h>

#include "core/buf.h"
#include "publish/policy.h"

typedef struct {
    const char *site_dir;        /* --out, default "output" */
    const char *target;          /* "s3://BUCKET[/PREFIX]" or a directory */
    bool dry_run;
    bool delete_removed;         /* --delete */
    bool full;                   /* --full: compare with the listing, not the published manifest */
    int parallel;                /* uploads in flight */
    int retries;                 /* per request */
    policy_cache cache;
    double asset_grace_s;        /* retired assets stay this long after the publish that dropped them */
    const char *purge_url;       /* POST changed paths here afterwards; NULL: none */
    const char *purge_token;     /* "Authorization: Bearer" for the purge hook; never printed */
    bool allow_local_url;        /* publish to s3:// a site built for a loopback/local address */
    bool progress;               /* progress bar (a terminal) */
    bool verbose;
} publish_options;

typedef struct {
    long long uploaded, uploaded_bytes;
    long long unchanged;
    long long deleted;
    long long kept;              /* retired assets kept for --asset-grace */
    long long failed;
    long long requests, retries;
    double seconds;
} publish_summary;

/* A site built for site_url (NULL: not recorded) must not go to an s3:// target when that
 * address is loopback or local: its absolute links would point at the publisher's machine.
 * true (after one line saying what to do) when publishing must be refused. */
bool publish_refuses_site_url(const char *target, const char *site_url, bool allow_local_url);

/* Splits "s3://bucket/a/b/" into bucket "bucket" and prefix "a/b" (malloc'd). false when
 * target is not an s3:// URL; true with *bucket NULL when the bucket name is missing. */
bool publish_parse_s3(const char *target, char **bucket, char **prefix);

/* Runs the whole publish. Prints the plan (dry run) or the summary on stdout, one line per
 * failure on stderr. Returns 0 when everything was published, 1 otherwise, 2 when the site
 * was refused (publish_refuses_site_url) and nothing was sent. */
int publish_run(const publish_options *o, publish_summary *s);

#endif
