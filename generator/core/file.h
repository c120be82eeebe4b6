/* file: whole-file reads and atomic writes (temp file + rename, so readers never see
 * half a file). */
#ifndef CATLOG_FILE_H
#define CATLOG_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include "core/buf.h"

/* Appends the file's bytes to out. path "-" reads stdin. Returns 0, or -1 with errno set. */
int file_read_all(const char *path, buf *out);

/* Writes data to path via path.tmpXXXXXX + fsync-free rename. Returns 0 or -1 (errno). */
int file_write_atomic(const char *path, const void *data, size_t len);

/* mkdir -p. Returns 0 or -1 (errno). */
int file_mkdirs(const char *path);

bool file_exists(const char *path);

/* rm -rf path (does not follow symlinks). Returns 0 or -1 (errno). Missing path is 0. */
int file_remove_tree(const char *path);

/* cp -r src dst: directories created, files copied (each atomically). Returns 0 or -1 (errno). */
int file_copy_tree(const char *src, const char *dst);

/* Calls fn with the path relative to dir of every regular file below it (hidden files and
 * folders skipped), in directory order; stops at the first non-zero return. A missing dir
 * has no files. Returns 0, fn's value, or -1 (errno). */
int file_walk(const char *dir, int (*fn)(const char *rel, void *ud), void *ud);

#endif
