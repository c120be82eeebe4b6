/* mustache: Mustache templates compiled once and rendered many times against cJSON data.
 * Owns parsing (errors carry file:line:col), rendering, and partial loading with a cache.
 * Implements the spec's core modules plus ~inheritance and ~dynamic-names (no lambdas). */
#ifndef CATLOG_MUSTACHE_H
#define CATLOG_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "core/buf.h"

/* Deepest section nesting in one template, and deepest chain of partials/parents at
 * render time. Deeper input is an error rather than a stack overflow. */
#define MST_MAX_DEPTH 100

/* A loader resolves partial and parent names to compiled templates and caches them.
 * It is handed to mst_render and mutated by it (the cache): one loader per thread. */
typedef struct mst_loader mst_loader;

/* Partial `x` is DIR/x.mustache; names may contain '/' for subfolders, never "..". */
mst_loader *mst_loader_dir(const char *dir);
/* The same over several folders: x comes from the first one that has DIR/x.mustache (a site
 * project's templates before the built-in ones). */
mst_loader *mst_loader_dirs(const char *const *dirs, int n);
/* Partials from an object name -> template string. Borrowed: must outlive the loader. */
mst_loader *mst_loader_json(const cJSON *partials);
/* Strict: a missing partial or parent is a render error. Default: it renders as "". */
void mst_loader_set_strict(mst_loader *ld, bool strict);
/* Stop a render after this many template steps (nodes visited, items iterated); 0 means
 * no limit (the default). Guards against exponential templates from untrusted input. */
void mst_loader_set_step_limit(mst_loader *ld, size_t steps);
void mst_loader_free(mst_loader *ld);

typedef struct mst_template mst_template;

/* Compiles src[0..len). name (a path, usually) prefixes error messages. On error returns
 * NULL and appends one line "name:line:col: what (expected ...)" to err. */
mst_template *mst_compile(const char *src, size_t len, const char *name, buf *err);
/* The template the loader knows as name, compiled once and cached; owned by the loader.
 * NULL with a message in err when it is missing or does not compile. */
mst_template *mst_load(mst_loader *ld, const char *name, buf *err);
/* Appends the rendering of t with data as the root context to out. ld may be NULL (no
 * partials). Returns 0, or -1 with one line in err (out then holds a partial result). */
int mst_render(const mst_template *t, const cJSON *data, mst_loader *ld, buf *out, buf *err);
void mst_free(mst_template *t);

/* How {{x}} prints a number: the shortest form that reads back as the same double,
 * written the way JavaScript's String(x) does (85, 1.21, 1e+21, 1e-7). */
void mst_format_number(buf *out, double v);

#endif
