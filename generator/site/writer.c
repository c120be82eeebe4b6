#include "site/writer.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/mime.h"
#include "core/file.h"
#include "core/log.h"

typedef struct {
    char *path;
    char sha[65];
    size_t size;
    int immutable;
} entry;

struct site_writer {
    char *root;
    entry *files;
    size_t n, cap;
    size_t *slots;     /* open-addressing set of file indices + 1, by path: no path twice */
    size_t nslots;
    buf last_dir;    /* the directory created last: pages come in runs per folder */
};

site_writer *writer_open(const char *root)
{
    site_writer *w = xcalloc(1, sizeof *w);
    w->root = xstrdup(root);
    return w;
}

void writer_close(site_writer *w)
{
    if (!w) return;
    for (size_t i = 0; i < w->n; i++) free(w->files[i].path);
    free(w->files);
    free(w->slots);
    free(w->root);
    buf_free(&w->last_dir);
    free(w);
}

size_t writer_count(const site_writer *w) { return w->n; }

const char *writer_path_at(const site_writer *w, size_t i) { return i < w->n ? w->files[i].path : NULL; }

int writer_read(const site_writer *w, const char *path, buf *out)
{
    buf full = BUF_INIT;
    buf_printf(&full, "%s/%s", w->root, path);
    int rc = file_read_all(buf_cstr(&full), out);
    if (rc != 0) log_error("cannot read back %s: %s", buf_cstr(&full), strerror(errno));
    buf_free(&full);
    return rc;
}

static int ensure_dir_of(site_writer *w, const char *full)
{
    const char *slash = strrchr(full, '/');
    size_t n = (size_t)(slash - full);
    if (w->last_dir.len == n && memcmp(w->last_dir.data, full, n) == 0) return 0;
    buf_reset(&w->last_dir);
    buf_append(&w->last_dir, full, n);
    /* Usually only the last component is new (anime/<id>/): one mkdir, not one per level. */
    if (mkdir(buf_cstr(&w->last_dir), 0755) == 0 || errno == EEXIST) return 0;
    return file_mkdirs(buf_cstr(&w->last_dir));
}

static size_t path_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Registers path; false when it was written already (two pages mapped to one file, e.g.
 * genres whose names give the same slug), which would leave a manifest the files contradict. */
static int claim_path(site_writer *w, const char *path)
{
    if ((w->n + 1) * 2 > w->nslots) {
        size_t n = w->nslots ? w->nslots * 2 : 4096;
        size_t *slots = xcalloc(n, sizeof *slots);
        for (size_t i = 0; i < w->nslots; i++) {
            if (!w->slots[i]) continue;
            size_t j = path_hash(w->files[w->slots[i] - 1].path) & (n - 1);
            while (slots[j]) j = (j + 1) & (n - 1);
            slots[j] = w->slots[i];
        }
        free(w->slots);
        w->slots = slots;
        w->nslots = n;
    }
    size_t j = path_hash(path) & (w->nslots - 1);
    for (; w->slots[j]; j = (j + 1) & (w->nslots - 1))
        if (strcmp(w->files[w->slots[j] - 1].path, path) == 0) return 0;
    w->slots[j] = w->n + 1;   /* the entry record() is about to append */
    return 1;
}

static int add_entry(site_writer *w, const char *path, const char *sha, size_t len, int immutable)
{
    if (!claim_path(w, path)) {
        log_error("two pages of the site map to the same file %s (e.g. genre names that give the same slug)", path);
        return -1;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 1024;
        w->files = xrealloc(w->files, w->cap * sizeof(entry));
    }
    entry *e = &w->files[w->n++];
    e->path = xstrdup(path);
    e->size = len;
    e->immutable = immutable;
    memcpy(e->sha, sha, sizeof e->sha);
    return 0;
}

static int record(site_writer *w, const char *path, const void *data, size_t len, int immutable)
{
    char sha[65];
    digest_sha256_hex(data, len, sha);
    return add_entry(w, path, sha, len, immutable);
}

void writer_export(const site_writer *w, size_t from, buf *out)
{
    for (size_t i = from; i < w->n; i++)
        buf_printf(out, "F %s %zu %d %s\n", w->files[i].sha, w->files[i].size, w->files[i].immutable, w->files[i].path);
}

int writer_import(site_writer *w, const char *line)
{
    char sha[65];
    size_t size;
    int immutable, at = 0;
    if (sscanf(line, "F %64s %zu %d %n", sha, &size, &immutable, &at) != 3 || !at || strlen(sha) != 64) {
        log_error("a build worker sent a malformed file record: %.80s", line);
        return -1;
    }
    return add_entry(w, line + at, sha, size, immutable);
}

static int write_file(site_writer *w, const char *path, const void *data, size_t len)
{
    buf full = BUF_INIT;
    buf_printf(&full, "%s/%s", w->root, path);
    int rc = ensure_dir_of(w, buf_cstr(&full));
    int fd = rc == 0 ? open(buf_cstr(&full), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
    const char *p = data;
    size_t left = len;
    while (fd >= 0 && left) {
        ssize_t k = write(fd, p, left);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) break;
        p += k;
        left -= (size_t)k;
    }
    if (fd < 0 || left || close(fd) != 0) {
        log_error("cannot write %s: %s", buf_cstr(&full), strerror(errno));
        if (fd >= 0 && left) close(fd);
        buf_free(&full);
        return -1;
    }
    buf_free(&full);
    return 0;
}

int writer_put(site_writer *w, const char *path, const void *data, size_t len)
{
    if (write_file(w, path, data, len) != 0) return -1;
    return record(w, path, data, len, 0);
}

int writer_copy(site_writer *w, const char *src, const char *path, int fingerprint, buf *final_path)
{
    buf data = BUF_INIT, name = BUF_INIT;
    if (file_read_all(src, &data) != 0) {
        log_error("cannot read asset %s: %s", src, strerror(errno));
        buf_free(&data);
        return -1;
    }
    if (fingerprint) {
        char sha[65];
        digest_sha256_hex(data.data, data.len, sha);
        const char *dot = strrchr(path, '.');
        size_t stem = dot ? (size_t)(dot - path) : strlen(path);
        buf_append(&name, path, stem);
        buf_printf(&name, ".%.10s%s", sha, dot ? dot : "");
    } else {
        buf_puts(&name, path);
    }
    int rc = write_file(w, buf_cstr(&name), data.data ? data.data : "", data.len);
    if (rc == 0) rc = record(w, buf_cstr(&name), data.data ? data.data : "", data.len, fingerprint);
    if (rc == 0 && final_path) buf_puts(final_path, buf_cstr(&name));
    buf_free(&data);
    buf_free(&name);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

int writer_finish_manifest(site_writer *w, const char *site_url)
{
    qsort(w->files, w->n, sizeof(entry), by_path);
    buf out = BUF_INIT;
    cJSON *url = cJSON_CreateString(site_url);
    char *quoted_url = cJSON_PrintUnformatted(url);
    cJSON_Delete(url);
    buf_printf(&out, "{\"siteUrl\": %s,\n\"files\": [\n", quoted_url);
    cJSON_free(quoted_url);
    for (size_t i = 0; i < w->n; i++) {
        const entry *e = &w->files[i];
        cJSON *tmp = cJSON_CreateString(e->path);
        char *quoted = cJSON_PrintUnformatted(tmp);
        cJSON_Delete(tmp);
        buf_printf(&out, "  {\"path\": %s, \"sha256\": \"%s\", \"size\": %zu, \"contentType\": \"%s\", \"cache\": \"%s\"}%s\n",
                   quoted, e->sha, e->size, mime_type(e->path), e->immutable ? "immutable" : "page",
                   i + 1 < w->n ? "," : "");
        cJSON_free(quoted);
    }
    buf_puts(&out, "]}\n");
    int rc = write_file(w, "manifest.json", out.data, out.len);
    buf_free(&out);
    return rc;
}
