/* copy: writing values in PostgreSQL's COPY text format (tab-separated, \N for NULL),
 * the fast path for bulk loads. */
#ifndef CATLOG_COPY_H
#define CATLOG_COPY_H

#include <stdbool.h>
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

/* Reads one integer field of COPY text output at s (up to end): "\N" gives null_value.
 * Returns where the field ends; clears *ok when it is not an integer that fits an int. */
const char *copy_parse_int(const char *s, const char *end, int null_value, int *out, bool *ok);
/* The same for a NUMERIC with at most two decimals ("8.12", "-0.5", "7"), as hundredths (812);
 * clears *ok when it is finer than hundredths or does not fit an int. */
const char *copy_parse_hundredths(const char *s, const char *end, int null_value, int *out, bool *ok);

#endif
