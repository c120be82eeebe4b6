/* libFuzzer target for export/copy_row and export/parquet: each input line is a COPY text row
 * for columns of every type the writer knows; rows that do not parse are refused whole, the
 * rest become a Parquet file, which must come out framed (PAR1 ... footer length ... PAR1). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "export/copy_row.h"
#include "export/parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const parquet_column COLUMNS[] = {
    {"i", PARQUET_INT32, 0, 0},  {"d", PARQUET_DECIMAL, 3, 2},    {"s", PARQUET_STRING, 0, 0},
    {"l", PARQUET_STRING_LIST, 0, 0}, {"f", PARQUET_DOUBLE, 0, 0}, {"b", PARQUET_BOOLEAN, 0, 0},
    {"t", PARQUET_TIMESTAMP, 0, 0}, {"day", PARQUET_DATE, 0, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { N = sizeof COLUMNS / sizeof COLUMNS[0] };
    parquet_writer *w = parquet_open(COLUMNS, N, 7, 1);   /* small row groups: several per file */
    buf scratch = BUF_INIT, err = BUF_INIT, out = BUF_INIT;
    const char *s = (const char *)data, *end = s + size;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = (size_t)((nl ? nl + 1 : end) - s);
        buf_reset(&err);
        long long before = parquet_rows(w);
        int rc = copy_row_to_parquet(w, COLUMNS, N, s, len, &scratch, &err);
        if (parquet_rows(w) != before + (rc == 0)) abort();   /* a refused row adds nothing */
        s += len;
    }
    if (parquet_finish(w, &out, &err) == 0) {
        if (out.len < 12 || memcmp(out.data, "PAR1", 4) != 0 || memcmp(out.data + out.len - 4, "PAR1", 4) != 0) abort();
        uint32_t footer = (uint32_t)(unsigned char)out.data[out.len - 8] | (uint32_t)(unsigned char)out.data[out.len - 7] << 8 |
                          (uint32_t)(unsigned char)out.data[out.len - 6] << 16 | (uint32_t)(unsigned char)out.data[out.len - 5] << 24;
        if (footer + 12 > out.len) abort();
    }
    buf_free(&scratch);
    buf_free(&err);
    buf_free(&out);
    return 0;
}
