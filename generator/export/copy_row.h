/* copy_row: one line of PostgreSQL's COPY text output (tab-separated, \N for NULL, backslash
 * escapes, arrays as {a,"b c",NULL}) turned into one Parquet row. */
#ifndef CATLOG_COPY_ROW_H
#define CATLOG_COPY_ROW_H

#include "core/buf.h"
#include "export/parquet.h"

/* Appends the fields of line[0..len) (a trailing '\n' is ignored) to w as columns[0..n),
 * then ends the row. Integers for INT32/INT64, DATE (days since 1970-01-01) and TIMESTAMP
 * (microseconds); "7.58" for DECIMAL (at most `scale` decimals); t/f for BOOLEAN. Returns 0,
 * or -1 with the reason in err and nothing added when the line does not fit the columns.
 * scratch is reused between calls. */
int copy_row_to_parquet(parquet_writer *w, const parquet_column *columns, int n, const char *line, size_t len,
                        buf *scratch, buf *err);

/* The first field of a line, unescaped, into out (for the partition key). */
void copy_row_first_field(const char *line, size_t len, buf *out);

#endif
