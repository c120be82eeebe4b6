/* local: a directory as the publish target (`--to DIR`): atomic copies (temp file + rename,
 * so a reader never sees half a file), the directory's own files as its listing, and
 * removals that prune emptied folders. Same incremental rules as a bucket. */
#ifndef CATLOG_LOCAL_H
#define CATLOG_LOCAL_H

#include <stdbool.h>
#include <time.h>

#include "core/buf.h"

typedef struct {
    char *path;          /* relative to the directory */
    long long size;
} local_file;

typedef struct {
    local_file *v;       /* sorted by path */
    size_t n;
} local_listing;

/* Reads DIR/rel into out. 0: read; 1: no such file; -1: error (err). mtime may be NULL. */
int local_read(const char *dir, const char *rel, buf *out, time_t *mtime, buf *err);
/* Every regular file under dir (an absent dir is empty), temp files of an interrupted copy
 * included, so --delete removes them. 0 or -1 with err. */
int local_list(const char *dir, local_listing *out, buf *err);
void local_listing_free(local_listing *l);
/* True when DIR/rel exists and its SHA-256 is sha256. */
bool local_same(const char *dir, const char *rel, const char *sha256);
/* Copies src to DIR/rel atomically after checking its SHA-256 (NULL: no check). bytes gets
 * the size. 0 or -1 with err. */
int local_put(const char *dir, const char *rel, const char *src, const char *sha256, long long *bytes, buf *err);
/* Removes DIR/rel and the folders it leaves empty (up to dir). 0 or -1 with err. */
int local_delete(const char *dir, const char *rel, buf *err);

#endif
