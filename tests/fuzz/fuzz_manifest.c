/* libFuzzer target for publish/manifest: a manifest.json read from a bucket or a disk. */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "publish/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    manifest m;
    buf err = BUF_INIT;
    if (manifest_parse((const char *)data, size, "fuzz", &m, &err) == 0) {
        for (size_t i = 0; i < m.n; i++) manifest_find(&m, m.v[i].path);
        manifest_free(&m);
    }
    buf_free(&err);
    return 0;
}
