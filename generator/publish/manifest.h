/* manifest: the site's manifest.json, the list of every published file with its SHA-256,
 * size, content type and cache class, written by `catlog build`. Parsing (strict: a bad
 * entry is an error naming it), lookup by path, and the path rules a key must follow. */
#ifndef CATLOG_MANIFEST_H
#define CATLOG_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define MANIFEST_NAME "manifest.json"

typedef enum { MANIFEST_CACHE_PAGE, MANIFEST_CACHE_IMMUTABLE } manifest_cache;

typedef struct {
    char *path;             /* relative to the site root, '/'-separated */
    char sha256[65];        /* lower-case hex */
    long long size;
    char *content_type;     /* as declared; NULL when absent */
    manifest_cache cache;
} manifest_entry;

typedef struct {
    manifest_entry *v;      /* sorted by path, unique */
    size_t n;
    char *site_url;         /* the address the site was built for; NULL when not recorded */
} manifest;

/* Parses {"siteUrl": URL, "files": [{"path", "sha256", "size", "contentType", "cache"}, ...]}. An entry
 * for manifest.json itself is dropped. Returns 0, or -1 with one line in err (origin names
 * the source in the message, e.g. the file path). */
int manifest_parse(const char *json, size_t len, const char *origin, manifest *m, buf *err);
void manifest_free(manifest *m);

/* Binary search; NULL when absent. */
const manifest_entry *manifest_find(const manifest *m, const char *path);

/* A relative path with no empty, "." or ".." segment, no backslash or control byte. */
bool manifest_path_ok(const char *path);

#endif
