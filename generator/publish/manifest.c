#include "publish/manifest.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/file.h"

bool manifest_path_ok(const char *path)
{
    if (!path || !*path || *path == '/') return false;
    const char *seg = path;
    for (const char *p = path;; p++) {
        if (*p == '/' || *p == '\0') {
            size_t len = (size_t)(p - seg);
            if (len == 0) return false;
            if (len == 1 && seg[0] == '.') return false;
            if (len == 2 && seg[0] == '.' && seg[1] == '.') return false;
            if (*p == '\0') return true;
            seg = p + 1;
        } else if ((unsigned char)*p < 0x20 || *p == '\\' || *p == 0x7f) {
            return false;
        }
    }
}

static bool is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return s[64] == '\0';
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const manifest_entry *)a)->path, ((const manifest_entry *)b)->path);
}

int manifest_parse(const char *json, size_t len, const char *origin, manifest *m, buf *err)
{
    m->v = NULL;
    m->n = 0;
    m->site_url = NULL;
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root) {
        buf_printf(err, "%s: not valid JSON (near byte %ld): rebuild the site with `catlog build`", origin,
                   cJSON_GetErrorPtr() ? (long)(cJSON_GetErrorPtr() - json) : 0L);
        return -1;
    }
    cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
    if (!cJSON_IsArray(files)) {
        buf_printf(err, "%s: no \"files\" array: is this a catlog site manifest?", origin);
        cJSON_Delete(root);
        return -1;
    }
    size_t cap = (size_t)cJSON_GetArraySize(files);
    m->v = xcalloc(cap ? cap : 1, sizeof *m->v);
    int idx = -1;
    const cJSON *f;
    cJSON_ArrayForEach(f, files) {
        idx++;
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(f, "path");
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(f, "sha256");
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(f, "size");
        const cJSON *ct = cJSON_GetObjectItemCaseSensitive(f, "contentType");
        const cJSON *cache = cJSON_GetObjectItemCaseSensitive(f, "cache");
        if (!cJSON_IsString(path) || !manifest_path_ok(path->valuestring)) {
            buf_printf(err, "%s: files[%d]: missing or unsafe \"path\"", origin, idx);
            goto fail;
        }
        if (!cJSON_IsString(sha) || strlen(sha->valuestring) != 64 || !is_hex64(sha->valuestring)) {
            buf_printf(err, "%s: %s: \"sha256\" is not 64 lower-case hex digits", origin, path->valuestring);
            goto fail;
        }
        /* a byte count: whole, and small enough to be a file (a larger double would not convert) */
        if (!cJSON_IsNumber(size) || size->valuedouble < 0 || size->valuedouble > 9007199254740992.0 ||
            size->valuedouble != (double)(long long)size->valuedouble) {
            buf_printf(err, "%s: %s: \"size\" is not a byte count", origin, path->valuestring);
            goto fail;
        }
        manifest_cache cls = MANIFEST_CACHE_PAGE;
        if (cache && !cJSON_IsNull(cache)) {
            if (cJSON_IsString(cache) && strcmp(cache->valuestring, "immutable") == 0) cls = MANIFEST_CACHE_IMMUTABLE;
            else if (!cJSON_IsString(cache) || strcmp(cache->valuestring, "page") != 0) {
                buf_printf(err, "%s: %s: \"cache\" must be \"page\" or \"immutable\"", origin, path->valuestring);
                goto fail;
            }
        }
        if (strcmp(path->valuestring, MANIFEST_NAME) == 0) continue;
        manifest_entry *e = &m->v[m->n++];
        e->path = xstrdup(path->valuestring);
        memcpy(e->sha256, sha->valuestring, 65);
        e->size = (long long)size->valuedouble;
        e->content_type = cJSON_IsString(ct) && *ct->valuestring ? xstrdup(ct->valuestring) : NULL;
        e->cache = cls;
    }
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(root, "siteUrl");
    if (cJSON_IsString(url) && *url->valuestring) m->site_url = xstrdup(url->valuestring);
    cJSON_Delete(root);
    root = NULL;
    /* the contract says sorted; sort anyway so lookups never depend on it */
    bool sorted = true;
    for (size_t i = 1; i < m->n && sorted; i++) sorted = strcmp(m->v[i - 1].path, m->v[i].path) < 0;
    if (!sorted) qsort(m->v, m->n, sizeof *m->v, cmp_entry);
    for (size_t i = 1; i < m->n; i++) {
        if (strcmp(m->v[i - 1].path, m->v[i].path) == 0) {
            buf_printf(err, "%s: %s is listed twice", origin, m->v[i].path);
            goto fail;
        }
    }
    return 0;
fail:
    cJSON_Delete(root);
    manifest_free(m);
    return -1;
}

void manifest_free(manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].path);
        free(m->v[i].content_type);
    }
    free(m->v);
    free(m->site_url);
    m->v = NULL;
    m->n = 0;
    m->site_url = NULL;
}

const manifest_entry *manifest_find(const manifest *m, const char *path)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->v[mid].path, path);
        if (c == 0) return &m->v[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}
