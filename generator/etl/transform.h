/* transform: one Jikan /top/anime page (JSON text) -> rows of the staging batch, written
 * in COPY text format. One table (transform.c) declares each column: its JSON key, its
 * type and its limits. Missing or null fields become NULL; a record that lacks mal_id or
 * title, holds a value of the wrong type (a string where Jikan sends a number), an over-long
 * or invalid-UTF-8 string, or too many genres is rejected and counted, never half-loaded. */
#ifndef CATLOG_TRANSFORM_H
#define CATLOG_TRANSFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* More records than this on one page (Jikan sends at most 25) fail the page. */
#define TRANSFORM_MAX_RECORDS 100

typedef struct {
    int records;            /* entries in the page's data array */
    int accepted;
    int rejected;
    const char *first_reject;   /* why the first rejected record was rejected (static text) */
    bool has_next_page;     /* pagination.has_next_page (false when absent) */
} transform_stats;

/* Appends the column list of the rows ("\"page\", \"position\", \"malId\", ...") for
 * COPY etl_batch (...) FROM STDIN. */
void transform_columns(buf *out);

/* Parses page `page` and appends one COPY row per accepted record. Returns 0, or -1 with
 * a one-line reason in err when the page is not a JSON object with a data array of at most
 * TRANSFORM_MAX_RECORDS records. */
int transform_page(const char *json, size_t len, int page, buf *rows, transform_stats *st, buf *err);

#endif
