/* bincopy: rows in PostgreSQL's binary COPY format, built in memory and loaded with one
 * COPY ... FROM STDIN (FORMAT binary): doubles stay exact, and nothing is formatted or parsed.
 * bincopy_start, then per row bincopy_row(fields) and one writer per field in the order of
 * the COPY's columns, then bincopy_copy_in. A writer's type must be the column's type. */
#ifndef CATLOG_BINCOPY_H
#define CATLOG_BINCOPY_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/date.h"

typedef struct {
    buf b;
    long long rows;
} bincopy;

/* Writes the header into c, zeroed before ({0}). */
void bincopy_start(bincopy *c);
void bincopy_row(bincopy *c, int fields);

void bincopy_null(bincopy *c);
void bincopy_int(bincopy *c, int v);                           /* int4 */
void bincopy_int_or_null(bincopy *c, int v, int null_value);   /* NULL when v == null_value */
void bincopy_double(bincopy *c, double v);                     /* float8; NaN -> NULL */
void bincopy_date(bincopy *c, date_day d);
void bincopy_text(bincopy *c, const char *s);                  /* NULL pointer -> NULL */
void bincopy_bool(bincopy *c, bool v);
/* NUMERIC with two decimals from hundredths (912 -> 9.12); NULL when v == null_value. */
void bincopy_hundredths_or_null(bincopy *c, int v, int null_value);

/* Ends c and copies its rows into `table` (its name, unquoted); `columns` is the quoted
 * column list in the order of the fields. Returns 0, or -1 after printing the error. */
int bincopy_copy_in(catlog_ctx *ctx, const char *table, const char *columns, bincopy *c);

void bincopy_free(bincopy *c);

#endif
