/* target: where a built site is published, behind one table of functions (the models:
 * Redis' ConnectionType, git's transport_vtable). publish.c speaks only to this; each
 * back-end is one file that fills one target_type (target_s3.c, local.c), and TARGETS in
 * target.c picks it by the target's scheme. A new back-end (GCS, Azure...) is one file and
 * one row there. Paths are relative to the site root; a back-end adds its own prefix. */
#ifndef CATLOG_TARGET_H
#define CATLOG_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

typedef struct {
    char *rel;              /* relative to the target root */
    long long size;
    char etag[33];          /* MD5 hex when the back-end knows it; "" otherwise */
} target_object;

typedef struct {
    target_object *v;       /* sorted by rel */
    size_t n;
} target_listing;

/* One upload: in (what to send) and out (what happened). */
typedef struct {
    const char *rel, *src, *sha256;         /* sha256: the bytes src must have (NULL: unchecked) */
    const char *content_type, *cache_control;
    const char *meta_name, *meta_value;     /* one metadata pair, where the back-end keeps metadata */
    bool ok;
    long long bytes;
    char *error;                            /* malloc'd, when not ok */
} target_put;

typedef struct {
    int parallel, retries;
    bool verbose;
} target_settings;

typedef struct target target;
typedef void (*target_put_done)(void *ud, size_t i);

typedef struct {
    const char *name;       /* "s3", "directory" */
    const char *scheme;     /* "s3://"; NULL: the fallback (anything without a known scheme) */
    bool keeps_metadata;    /* the upload policy travels as the manifest's metadata */
    target *(*open)(const char *url, const target_settings *s, buf *err);
    /* rel into body. 0 found (*age: seconds since it was written, <0 unknown; meta: the value
     * of meta_name, "" when absent), 1 absent, -1 failed (err). */
    int (*get)(target *t, const char *rel, const char *meta_name, buf *body, double *age, char meta[256], buf *err);
    int (*list)(target *t, target_listing *out, buf *err);
    /* Are the listed object o and the local file src (of that SHA-256) the same bytes? */
    bool (*same)(target *t, const target_object *o, const char *src, const char *sha256);
    /* Sends items[0..n), calling done(ud, i) as each ends; returns how many failed. */
    size_t (*put_many)(target *t, target_put *items, size_t n, target_put_done done, void *ud);
    /* Removes rels[0..n); ok[i] tells each one's fate; the first reason in err. Returns how many failed. */
    size_t (*delete_many)(target *t, char *const *rels, size_t n, bool *ok, buf *err);
    const char *(*fatal)(const target *t);  /* what stopped everything, or NULL */
    void (*counts)(const target *t, long long *requests, long long *retries);
    void (*close)(target *t);
} target_type;

/* Every back-end's state starts with this. */
struct target {
    const target_type *type;
    char *display;          /* "s3://bucket/prefix" or the directory, for messages */
    char *prefix;           /* what the back-end puts before rel ("" for none), for listings shown */
};

/* The back-ends: one file each. */
extern const target_type TARGET_S3;          /* target_s3.c: s3://BUCKET[/PREFIX] */
extern const target_type TARGET_DIRECTORY;   /* local.c: a directory */

/* The back-end for url: by scheme, a directory for a path; NULL for an unknown scheme. */
const target_type *target_type_for(const char *url);

void target_listing_free(target_listing *l);

#endif
