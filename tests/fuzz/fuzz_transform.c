/* libFuzzer target for etl/transform: one Jikan /top/anime page, as any server could send it. */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "etl/transform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf rows = BUF_INIT, err = BUF_INIT;
    transform_stats st;
    transform_page((const char *)data, size, 1, &rows, &st, &err);
    buf_free(&rows);
    buf_free(&err);
    return 0;
}
