/* libFuzzer target for render/markdown: a docs page, front matter and Mermaid fences included. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "render/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf html = BUF_INIT;
    cJSON *front = cJSON_CreateObject();
    md_render((const char *)data, size, &html, front);
    cJSON_Delete(front);
    buf_free(&html);
    return 0;
}
