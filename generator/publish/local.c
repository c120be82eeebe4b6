#include "publish/local.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/file.h"
#include "core/interrupt.h"
#include "publish/target.h"

static void join(buf *out, const char *dir, const char *rel)
{
    buf_reset(out);
    buf_printf(out, "%s/%s", dir, rel);
}

int local_read(const char *dir, const char *rel, buf *out, time_t *mtime, buf *err)
{
    buf p = BUF_INIT;
    join(&p, dir, rel);
    struct stat st;
    int rc = 0;
    if (stat(buf_cstr(&p), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) rc = 1;
        else {
            buf_printf(err, "cannot read %s: %s", buf_cstr(&p), strerror(errno));
            rc = -1;
        }
    } else if (file_read_all(buf_cstr(&p), out) != 0) {
        buf_printf(err, "cannot read %s: %s", buf_cstr(&p), strerror(errno));
        rc = -1;
    } else if (mtime) {
        *mtime = st.st_mtime;
    }
    buf_free(&p);
    return rc;
}

typedef struct {
    local_listing *out;
    size_t cap;
} walk_state;

static int walk(const char *root, const char *rel, walk_state *w, buf *err)
{
    buf p = BUF_INIT;
    if (*rel) join(&p, root, rel);
    else buf_puts(&p, root);
    DIR *d = opendir(buf_cstr(&p));
    if (!d) {
        int rc = (errno == ENOENT && !*rel) ? 0 : -1;
        if (rc) buf_printf(err, "cannot list %s: %s", buf_cstr(&p), strerror(errno));
        buf_free(&p);
        return rc;
    }
    int rc = 0;
    struct dirent *de;
    buf child = BUF_INIT, full = BUF_INIT;
    while (rc == 0 && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        buf_reset(&child);
        if (*rel) buf_printf(&child, "%s/%s", rel, de->d_name);
        else buf_puts(&child, de->d_name);
        join(&full, root, buf_cstr(&child));
        struct stat st;
        if (lstat(buf_cstr(&full), &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            rc = walk(root, buf_cstr(&child), w, err);
        } else if (S_ISREG(st.st_mode)) {
            if (w->out->n == w->cap) {
                w->cap = w->cap ? w->cap * 2 : 256;
                w->out->v = xrealloc(w->out->v, w->cap * sizeof *w->out->v);
            }
            w->out->v[w->out->n].path = xstrdup(buf_cstr(&child));
            w->out->v[w->out->n].size = (long long)st.st_size;
            w->out->n++;
        }
    }
    closedir(d);
    buf_free(&child);
    buf_free(&full);
    buf_free(&p);
    return rc;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const local_file *)a)->path, ((const local_file *)b)->path);
}

int local_list(const char *dir, local_listing *out, buf *err)
{
    out->v = NULL;
    out->n = 0;
    walk_state w = {out, 0};
    if (walk(dir, "", &w, err) != 0) {
        local_listing_free(out);
        return -1;
    }
    if (out->n) qsort(out->v, out->n, sizeof *out->v, cmp_file);
    return 0;
}

void local_listing_free(local_listing *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].path);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

bool local_same(const char *dir, const char *rel, const char *sha256)
{
    buf p = BUF_INIT, data = BUF_INIT;
    join(&p, dir, rel);
    bool same = false;
    if (file_read_all(buf_cstr(&p), &data) == 0) {
        char h[65];
        digest_sha256_hex(data.data ? data.data : "", data.len, h);
        same = strcmp(h, sha256) == 0;
    }
    buf_free(&p);
    buf_free(&data);
    return same;
}

int local_put(const char *dir, const char *rel, const char *src, const char *sha256, long long *bytes, buf *err)
{
    buf data = BUF_INIT, p = BUF_INIT;
    int rc = -1;
    if (file_read_all(src, &data) != 0) {
        buf_printf(err, "cannot read %s: %s: rebuild the site", src, strerror(errno));
        goto out;
    }
    if (sha256) {
        char h[65];
        digest_sha256_hex(data.data ? data.data : "", data.len, h);
        if (strcmp(h, sha256) != 0) {
            buf_printf(err, "%s changed after the manifest was written (SHA-256 differs): run `catlog build` again", src);
            goto out;
        }
    }
    join(&p, dir, rel);
    char *slash = strrchr(p.data, '/');
    *slash = '\0';
    if (file_mkdirs(p.data) != 0) {
        buf_printf(err, "cannot create %s: %s", p.data, strerror(errno));
        goto out;
    }
    *slash = '/';
    if (file_write_atomic(buf_cstr(&p), data.data ? data.data : "", data.len) != 0) {
        buf_printf(err, "cannot write %s: %s", buf_cstr(&p), strerror(errno));
        goto out;
    }
    *bytes = (long long)data.len;
    rc = 0;
out:
    buf_free(&data);
    buf_free(&p);
    return rc;
}

int local_delete(const char *dir, const char *rel, buf *err)
{
    buf p = BUF_INIT;
    join(&p, dir, rel);
    int rc = 0;
    if (unlink(buf_cstr(&p)) != 0 && errno != ENOENT) {
        buf_printf(err, "cannot remove %s: %s", buf_cstr(&p), strerror(errno));
        rc = -1;
    }
    /* prune the folders this leaves empty, never dir itself */
    size_t root = strlen(dir);
    for (char *slash = strrchr(p.data, '/'); rc == 0 && slash && (size_t)(slash - p.data) > root;
         slash = strrchr(p.data, '/')) {
        *slash = '\0';
        if (rmdir(p.data) != 0) break;
    }
    buf_free(&p);
    return rc;
}

/* ---------------------------------------------------------------- the directory back-end */

typedef struct {
    target base;
    char *dir;
} dir_target;

static target *D_open(const char *url, const target_settings *s, buf *err)
{
    (void)s;
    if (!*url) buf_puts(err, "an empty target: pass --to s3://BUCKET[/PREFIX] or a directory");
    dir_target *t = xcalloc(1, sizeof *t);
    t->base.type = &TARGET_DIRECTORY;
    t->dir = xstrdup(url);
    t->base.display = xstrdup(url);
    t->base.prefix = xstrdup("");
    return &t->base;
}

static int D_get(target *t, const char *rel, const char *meta_name, buf *body, double *age, char meta[256], buf *err)
{
    (void)meta_name;
    time_t mtime = 0;
    int rc = local_read(((dir_target *)t)->dir, rel, body, &mtime, err);
    *age = rc == 0 ? difftime(time(NULL), mtime) : -1;
    meta[0] = '\0';
    return rc;
}

static int D_list(target *t, target_listing *out, buf *err)
{
    local_listing l;
    if (local_list(((dir_target *)t)->dir, &l, err) != 0) return -1;
    out->v = xcalloc(l.n ? l.n : 1, sizeof *out->v);
    out->n = 0;
    for (size_t i = 0; i < l.n; i++) {
        target_object *o = &out->v[out->n++];
        o->rel = xstrdup(l.v[i].path);
        o->size = l.v[i].size;
    }
    local_listing_free(&l);
    return 0;
}

static bool D_same(target *t, const target_object *o, const char *src, const char *sha256)
{
    (void)src;
    return local_same(((dir_target *)t)->dir, o->rel, sha256);
}

static size_t D_put_many(target *t, target_put *items, size_t n, target_put_done done, void *ud)
{
    size_t failed = 0;
    buf err = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        buf_reset(&err);
        if (interrupt_requested()) buf_puts(&err, "interrupted");
        else items[i].ok = local_put(((dir_target *)t)->dir, items[i].rel, items[i].src, items[i].sha256,
                                     &items[i].bytes, &err) == 0;
        if (!items[i].ok) {
            items[i].error = xstrdup(buf_cstr(&err));
            failed++;
        }
        done(ud, i);
    }
    buf_free(&err);
    return failed;
}

static size_t D_delete_many(target *t, char *const *rels, size_t n, bool *ok, buf *err)
{
    size_t failed = 0;
    buf one = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        buf_reset(&one);
        ok[i] = local_delete(((dir_target *)t)->dir, rels[i], &one) == 0;
        if (!ok[i] && failed++ == 0) buf_puts(err, buf_cstr(&one));
    }
    buf_free(&one);
    return failed;
}

static const char *D_fatal(const target *t)
{
    (void)t;
    return NULL;
}

static void D_counts(const target *t, long long *requests, long long *retries)
{
    (void)t;
    *requests = *retries = 0;
}

static void D_close(target *t)
{
    free(((dir_target *)t)->dir);
    free(t->display);
    free(t->prefix);
    free(t);
}

const target_type TARGET_DIRECTORY = {
    "directory", NULL, false, D_open, D_get, D_list, D_same, D_put_many, D_delete_many, D_fatal, D_counts, D_close,
};
