/* Mustache loader: partial and parent names -> compiled templates, each compiled once.
 * The cache is an open-addressing hash table that also remembers failures, so a missing
 * or broken partial costs one lookup per use, not one file read. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/file.h"
#include "render/mst_internal.h"

typedef struct {
    char *name;             /* NULL: free slot */
    uint32_t hash;
    mst_template *t;        /* NULL: failed, see msg */
    char *msg;
    bool missing;           /* failed because it does not exist (not because it is broken) */
} entry;

struct mst_loader {
    char **dirs;            /* directory loader: searched in order */
    int ndirs;
    const cJSON *partials;  /* in-memory loader (borrowed) */
    bool strict;
    size_t max_steps;
    entry *tab;
    size_t cap, count;      /* cap is a power of two */
};

static mst_loader *loader_new(void)
{
    mst_loader *ld = xcalloc(1, sizeof *ld);
    ld->cap = 16;
    ld->tab = xcalloc(ld->cap, sizeof *ld->tab);
    return ld;
}

mst_loader *mst_loader_dirs(const char *const *dirs, int n)
{
    mst_loader *ld = loader_new();
    ld->ndirs = n > 0 ? n : 1;
    ld->dirs = xcalloc((size_t)ld->ndirs, sizeof *ld->dirs);
    for (int i = 0; i < ld->ndirs; i++) {
        ld->dirs[i] = xstrdup(n > 0 && dirs[i] && *dirs[i] ? dirs[i] : ".");
    }
    return ld;
}

mst_loader *mst_loader_dir(const char *dir)
{
    return mst_loader_dirs(&dir, 1);
}

mst_loader *mst_loader_json(const cJSON *partials)
{
    mst_loader *ld = loader_new();
    ld->partials = partials;
    return ld;
}

void mst_loader_set_strict(mst_loader *ld, bool strict) { ld->strict = strict; }
void mst_loader_set_step_limit(mst_loader *ld, size_t steps) { ld->max_steps = steps; }
bool mst_loader_strict(const mst_loader *ld) { return ld->strict; }
size_t mst_loader_step_limit(const mst_loader *ld) { return ld->max_steps; }

void mst_loader_free(mst_loader *ld)
{
    if (!ld) return;
    for (size_t i = 0; i < ld->cap; i++) {
        free(ld->tab[i].name);
        mst_free(ld->tab[i].t);
        free(ld->tab[i].msg);
    }
    free(ld->tab);
    for (int i = 0; i < ld->ndirs; i++) free(ld->dirs[i]);
    free(ld->dirs);
    free(ld);
}

static entry *slot(entry *tab, size_t cap, const char *name, uint32_t h)
{
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!tab[i].name || (tab[i].hash == h && strcmp(tab[i].name, name) == 0)) return &tab[i];
}

static void grow(mst_loader *ld)
{
    size_t cap = ld->cap * 2;
    entry *tab = xcalloc(cap, sizeof *tab);
    for (size_t i = 0; i < ld->cap; i++)
        if (ld->tab[i].name) *slot(tab, cap, ld->tab[i].name, ld->tab[i].hash) = ld->tab[i];
    free(ld->tab);
    ld->tab = tab;
    ld->cap = cap;
}

/* A name from a template or, with {{>*x}}, from data: it must stay inside the folder. */
static bool safe_name(const char *name)
{
    if (!*name || name[0] == '/') return false;
    for (const char *seg = name; *seg;) {
        const char *e = strchr(seg, '/');
        size_t n = e ? (size_t)(e - seg) : strlen(seg);
        if (n == 0 || (n == 2 && seg[0] == '.' && seg[1] == '.')) return false;
        if (!e) break;
        seg = e + 1;
        if (!*seg) return false;
    }
    return true;
}

static void fill(mst_loader *ld, entry *e)
{
    buf src = BUF_INIT, msg = BUF_INIT;
    if (ld->dirs) {
        if (!safe_name(e->name)) {
            buf_printf(&msg, "partial '%s' not found (bad name: it must be a relative path "
                             "without '..')", e->name);
            e->missing = true;
        } else {
            buf path = BUF_INIT;
            int found = -1;
            for (int i = 0; i < ld->ndirs && found < 0; i++) {
                buf_reset(&path);
                buf_printf(&path, "%s/%s.mustache", ld->dirs[i], e->name);
                found = file_read_all(buf_cstr(&path), &src);
                if (found < 0 && errno != ENOENT && errno != ENOTDIR) break;
            }
            if (found != 0) {
                e->missing = errno == ENOENT || errno == ENOTDIR;
                buf_printf(&msg, "partial '%s' %s (%s: %s)", e->name,
                           e->missing ? "not found" : "cannot be read", buf_cstr(&path),
                           strerror(errno));
            } else {
                e->t = mst_compile(src.data, src.len, buf_cstr(&path), &msg);
            }
            buf_free(&path);
        }
    } else {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(ld->partials, e->name);
        if (!cJSON_IsString(v) || !v->valuestring) {
            buf_printf(&msg, "partial '%s' not found", e->name);
            e->missing = true;
        } else {
            e->t = mst_compile(v->valuestring, strlen(v->valuestring), e->name, &msg);
        }
    }
    if (!e->t) e->msg = buf_detach(&msg);
    buf_free(&msg);
    buf_free(&src);
}

int mst_loader_get(mst_loader *ld, const char *name, uint32_t h, const mst_template **out,
                   buf *err)
{
    entry *e = slot(ld->tab, ld->cap, name, h);
    if (!e->name) {
        e->name = xstrdup(name);
        e->hash = h;
        fill(ld, e);
        if (++ld->count * 2 > ld->cap) {
            entry copy = *e;
            grow(ld);
            e = slot(ld->tab, ld->cap, copy.name, h);
        }
    }
    *out = e->t;
    if (e->t) return 0;
    buf_puts(err, e->msg);
    return e->missing ? 1 : -1;
}

mst_template *mst_load(mst_loader *ld, const char *name, buf *err)
{
    const mst_template *t = NULL;
    mst_loader_get(ld, name, mst_hash(name), &t, err);
    return (mst_template *)t;
}
