/* parquet: a small Apache Parquet writer for exactly what catlog exports, so lake engines
 * (DuckDB, Athena, Trino, BigQuery, Spark) read its tables straight from object storage.
 *
 * What it writes: flat optional columns (INT32, INT64, DOUBLE, BOOLEAN, DATE, TIMESTAMP in
 * microseconds, DECIMAL held in INT32, STRING) and optional one-level lists of strings
 * (the standard three-level LIST layout: name / list / element). Each row group holds one
 * column chunk per column; a chunk is an optional dictionary page and one data page (v1),
 * compressed with ZSTD. Strings and string lists are dictionary encoded (RLE_DICTIONARY)
 * while their dictionary stays small, numbers PLAIN; levels use the RLE/bit-packed hybrid.
 * Every chunk carries min/max statistics and a null count, so readers can skip row groups
 * (predicate pushdown). The footer is Thrift compact protocol, as the format requires.
 *
 * Use: open with the columns, then for each row one value per column in order (a parquet_*
 * call per column, parquet_null for a missing value; a list is parquet_list_begin, its
 * items, parquet_list_end), then parquet_finish for the file's bytes. Rows are buffered in
 * memory until a row group is full (row_group_rows), then encoded. */
#ifndef CATLOG_PARQUET_H
#define CATLOG_PARQUET_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef enum {
    PARQUET_INT32,
    PARQUET_INT64,
    PARQUET_DOUBLE,
    PARQUET_BOOLEAN,
    PARQUET_DATE,          /* days since 1970-01-01 (INT32, logical DATE) */
    PARQUET_TIMESTAMP,     /* microseconds since 1970-01-01 UTC (INT64, logical TIMESTAMP) */
    PARQUET_DECIMAL,       /* unscaled value in INT32, logical DECIMAL(precision, scale) */
    PARQUET_STRING,        /* UTF-8 (BYTE_ARRAY, logical STRING) */
    PARQUET_STRING_LIST    /* LIST<STRING> */
} parquet_type;

typedef struct {
    const char *name;      /* snake_case */
    parquet_type type;
    int precision, scale;  /* DECIMAL only */
} parquet_column;

typedef struct parquet_writer parquet_writer;

/* row_group_rows: rows per row group (0: 1,048,576). zstd_level: 1 (fast) .. 19. */
parquet_writer *parquet_open(const parquet_column *columns, int ncolumns, long row_group_rows, int zstd_level);
void parquet_free(parquet_writer *w);

/* One value of the next column of the current row. */
void parquet_null(parquet_writer *w);
void parquet_int(parquet_writer *w, int64_t v);   /* INT32, INT64, DATE, TIMESTAMP, DECIMAL, BOOLEAN (0/1) */
void parquet_double(parquet_writer *w, double v); /* NaN is stored as NaN and left out of min/max */
void parquet_string(parquet_writer *w, const char *s, size_t len);
void parquet_list_begin(parquet_writer *w);
void parquet_list_item(parquet_writer *w, const char *s, size_t len);   /* s NULL: a null element */
void parquet_list_end(parquet_writer *w);
/* Closes the current row: every column must have had its value. */
void parquet_end_row(parquet_writer *w);

long long parquet_rows(const parquet_writer *w);

/* Encodes what is left and appends the whole file (PAR1 ... footer ... PAR1) to out.
 * Returns 0, or -1 with one line in err (compression failed). The writer is spent. */
int parquet_finish(parquet_writer *w, buf *out, buf *err);

#endif
