/* writer: the files of one build, written into a staging directory, each recorded with
 * its sha256, size, content type and cache class for output/manifest.json. */
#ifndef CATLOG_WRITER_H
#define CATLOG_WRITER_H

#include <stddef.h>

#include "core/buf.h"

typedef struct site_writer site_writer;

site_writer *writer_open(const char *root);
void writer_close(site_writer *w);

/* Writes root/path (creating directories). Returns 0, or -1 after printing the error. */
int writer_put(site_writer *w, const char *path, const void *data, size_t len);
/* Copies a file; with `fingerprint`, the name gains the first 10 hex digits of its
 * sha256 (assets/site.css -> assets/site.3f2a9c1b0d.css) and the final path is
 * appended to final_path. */
int writer_copy(site_writer *w, const char *src, const char *path, int fingerprint, buf *final_path);

/* Writes manifest.json: the address the site was built for, and every file written so
 * far, sorted by path. */
int writer_finish_manifest(site_writer *w, const char *site_url);

size_t writer_count(const site_writer *w);
/* The path of the i-th file written (in the building process: of every worker's too, once
 * merged); NULL past the last. */
const char *writer_path_at(const site_writer *w, size_t i);
/* Appends the bytes of a file written in this build to out; -1 after printing the error. */
int writer_read(const site_writer *w, const char *path, buf *out);

/* A build worker's files for its parent: every file recorded since the first `from`, one
 * line each ("F sha size immutable path"). */
void writer_export(const site_writer *w, size_t from, buf *out);
/* Records one such line (without its newline); -1 after printing the error, e.g. a path
 * already written. */
int writer_import(site_writer *w, const char *line);

#endif
