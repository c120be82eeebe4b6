/* copy: writing values in PostgreSQL's COPY text format (tab-separated, \N for NULL),
 * the fast path for bulk loads. */
#ifndef CATLOG_COPY_H
#define CATLOG_COPY_H

#include <stddef.h>

#include "core/buf.h"

/* Appends a text value escaped for COPY (NULL pointer -> \N). */
void copy_text(buf *b, const char *s);
/* Appends a TEXT[] literal, every element quoted, escaped for COPY. */
void copy_text_array(buf *b, const char *const *items, size_t n);
void copy_int(buf *b, long long v);
void copy_null(buf *b);
/* Appends a NUMERIC(3,2) from hundredths, e.g. 912 -> 9.12. */
void copy_hundredths(buf *b, int v);

#endif
