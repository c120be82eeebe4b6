/* transform: one Jikan /top/anime page (JSON text) -> rows of the staging batch, written
 * in COPY text format. Missing or null fields become NULL; a record without mal_id or
 * title is rejected and counted. */
#ifndef CATLOG_TRANSFORM_H
#define CATLOG_TRANSFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

typedef struct {
    int records;            /* entries in the page's data array */
    int accepted;
    int rejected;
    bool has_next_page;     /* pagination.has_next_page (false when absent) */
} transform_stats;

/* Column order of the rows appended to `rows` (the "etl_batch" staging table). */
#define TRANSFORM_COLUMNS \
    "\"page\", \"position\", \"malId\", \"title\", \"titleEnglish\", \"genres\", \"score\", " \
    "\"scoredBy\", \"rank\", \"popularity\", \"members\", \"favorites\", \"episodes\", \"status\", " \
    "\"season\", \"year\", \"rating\", \"studios\", \"imageUrl\", \"synopsis\", \"rawJson\""

/* Parses page `page` and appends one COPY row per accepted record. Returns 0, or -1 with
 * a one-line reason in err when the page is not a JSON object with a data array. */
int transform_page(const char *json, size_t len, int page, buf *rows, transform_stats *st, buf *err);

#endif
