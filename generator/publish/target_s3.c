/* The S3 back-end of publish/target: an S3-compatible bucket (s3://BUCKET[/PREFIX]) through
 * the S3 client (s3.c); keys are PREFIX/rel. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/file.h"
#include "publish/publish.h"
#include "publish/s3.h"
#include "publish/target.h"

typedef struct {
    target base;
    s3_client *s3;
    char *bucket;
} s3_target;

static char *S_key(const target *t, const char *rel)
{
    buf k = BUF_INIT;
    if (*t->prefix) buf_printf(&k, "%s/%s", t->prefix, rel);
    else buf_puts(&k, rel);
    return buf_detach(&k);
}

static target *S_open(const char *url, const target_settings *s, buf *err)
{
    s3_target *t = xcalloc(1, sizeof *t);
    t->base.type = &TARGET_S3;
    char *prefix = NULL;
    bool s3 = publish_parse_s3(url, &t->bucket, &prefix);
    t->base.prefix = prefix ? prefix : xstrdup("");
    buf d = BUF_INIT;
    buf_printf(&d, "s3://%s%s%s", t->bucket ? t->bucket : "", *t->base.prefix ? "/" : "", t->base.prefix);
    t->base.display = buf_detach(&d);
    if (!s3 || !t->bucket) {
        buf_printf(err, "no bucket name in '%s' (expected s3://BUCKET[/PREFIX])", url);
        return &t->base;
    }
    s3_config cfg;
    s3_config_from_env(&cfg);
    cfg.bucket = t->bucket;
    cfg.parallel = s->parallel;
    cfg.max_retries = s->retries;
    cfg.verbose = s->verbose;
    t->s3 = s3_open(&cfg, err);
    return &t->base;
}

static int S_get(target *t, const char *rel, const char *meta_name, buf *body, double *age, char meta[256], buf *err)
{
    s3_target *s = (s3_target *)t;
    char *key = S_key(t, rel);
    s3_object_info info;
    int rc = s3_get(s->s3, key, meta_name, body, &info, err);
    free(key);
    *age = -1;
    meta[0] = '\0';
    if (rc == 0) {
        snprintf(meta, 256, "%s", info.meta);
        time_t now = info.server_date ? info.server_date : time(NULL);
        *age = info.last_modified ? difftime(now, info.last_modified) : -1;
    }
    return rc;
}

static int S_list(target *t, target_listing *out, buf *err)
{
    s3_target *s = (s3_target *)t;
    char *pfx = NULL;
    if (*t->prefix) {
        buf p = BUF_INIT;
        buf_printf(&p, "%s/", t->prefix);
        pfx = buf_detach(&p);
    }
    s3_listing l;
    int rc = s3_list(s->s3, pfx, &l, err);
    size_t plen = pfx ? strlen(pfx) : 0;
    free(pfx);
    if (rc != 0) return -1;
    out->v = xcalloc(l.n ? l.n : 1, sizeof *out->v);
    out->n = 0;
    for (size_t i = 0; i < l.n; i++) {
        target_object *o = &out->v[out->n++];
        o->rel = xstrdup(l.v[i].key + plen);
        o->size = l.v[i].size;
        memcpy(o->etag, l.v[i].etag, sizeof o->etag);
    }
    s3_listing_free(&l);
    return 0;
}

/* An ETag is the MD5 of a single-part upload: compare it with the local file's. */
static bool S_same(target *t, const target_object *o, const char *src, const char *sha256)
{
    (void)t, (void)sha256;
    if (!o->etag[0]) return false;
    buf data = BUF_INIT;
    bool same = false;
    if (file_read_all(src, &data) == 0) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        char hex[33];
        EVP_Digest(data.data ? data.data : "", data.len, md, &n, EVP_md5(), NULL);
        digest_hex(md, 16, hex);
        same = strcmp(hex, o->etag) == 0;
    }
    buf_free(&data);
    return same;
}

typedef struct {
    target_put *items;
    s3_put *puts;
    target_put_done done;
    void *ud;
} S_batch;

static void S_put_done(void *ud, const s3_put *it)
{
    S_batch *b = ud;
    size_t i = (size_t)(it - b->puts);
    b->items[i].ok = it->ok;
    b->items[i].bytes = it->bytes;
    if (!it->ok) b->items[i].error = xstrdup(it->error ? it->error : "failed");
    b->done(b->ud, i);
}

static size_t S_put_many(target *t, target_put *items, size_t n, target_put_done done, void *ud)
{
    s3_target *s = (s3_target *)t;
    s3_put *puts = xcalloc(n ? n : 1, sizeof *puts);
    char **keys = xcalloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        keys[i] = S_key(t, items[i].rel);
        puts[i].key = keys[i];
        puts[i].file = items[i].src;
        puts[i].sha256 = items[i].sha256;
        puts[i].content_type = items[i].content_type;
        puts[i].cache_control = items[i].cache_control;
        puts[i].meta_name = items[i].meta_name;
        puts[i].meta_value = items[i].meta_value;
    }
    S_batch b = {items, puts, done, ud};
    size_t failed = s3_put_all(s->s3, puts, n, S_put_done, &b);
    for (size_t i = 0; i < n; i++) {
        free(keys[i]);
        free(puts[i].error);
    }
    free(keys);
    free(puts);
    return failed;
}

static size_t S_delete_many(target *t, char *const *rels, size_t n, bool *ok, buf *err)
{
    s3_target *s = (s3_target *)t;
    char **keys = xcalloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++) keys[i] = S_key(t, rels[i]);
    size_t failed = s3_delete_all(s->s3, keys, n, ok, err);
    for (size_t i = 0; i < n; i++) free(keys[i]);
    free(keys);
    return failed;
}

static const char *S_fatal(const target *t) { return ((const s3_target *)t)->s3 ? s3_fatal(((const s3_target *)t)->s3) : NULL; }

static void S_counts(const target *t, long long *requests, long long *retries)
{
    const s3_target *s = (const s3_target *)t;
    *requests = s->s3 ? s3_request_count(s->s3) : 0;
    *retries = s->s3 ? s3_retry_count(s->s3) : 0;
}

static void S_close(target *t)
{
    s3_target *s = (s3_target *)t;
    s3_close(s->s3);
    free(s->bucket);
    free(t->prefix);
    free(t->display);
    free(s);
}

const target_type TARGET_S3 = {
    "s3", "s3://", true, S_open, S_get, S_list, S_same, S_put_many, S_delete_many, S_fatal, S_counts, S_close,
};
