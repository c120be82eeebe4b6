/* policy: what each published object carries and when it goes up. Content-Type by
 * extension (a charset on every text type), Cache-Control by cache class, and the upload
 * stage that keeps every page a CDN serves pointing at assets that already exist. */
#ifndef CATLOG_POLICY_H
#define CATLOG_POLICY_H

#include "core/buf.h"
#include "publish/manifest.h"

#define POLICY_CACHE_IMMUTABLE_DEFAULT "public, max-age=31536000, immutable"
#define POLICY_CACHE_PAGE_DEFAULT "public, max-age=300, stale-while-revalidate=60"

typedef struct {
    const char *immutable;   /* fingerprinted assets */
    const char *page;        /* pages, JSON, widgets, sitemap, feed, manifest */
} policy_cache;

/* Upload order: assets, then JSON documents (pages link their JSON twins), then pages,
 * then sitemap/feed/robots, then the manifest.
 * Deletions come after all of them. */
typedef enum {
    POLICY_STAGE_ASSET,
    POLICY_STAGE_DATA,
    POLICY_STAGE_PAGE,
    POLICY_STAGE_INDEX,
    POLICY_STAGE_MANIFEST,
    POLICY_STAGES
} policy_stage;

/* Writes the declared type into out, or core/mime's type for the path when the declared one
 * is missing or application/octet-stream, adding "; charset=utf-8" to text types that name
 * no charset. */
void policy_content_type(const char *path, const char *declared, buf *out);
const char *policy_cache_control(const policy_cache *c, manifest_cache cls);
policy_stage policy_stage_of(const char *path);
const char *policy_stage_name(policy_stage s);

#endif
