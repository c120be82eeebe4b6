/* libFuzzer target for db/copy: COPY text fields as PostgreSQL sends them, parsed as integers
 * and as hundredths until the input ends, and text written back escaped. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "db/copy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    while (s < end) {
        int v = 0;
        bool ok = true;
        const char *next = copy_parse_int(s, end, -1, &v, &ok);
        const char *next_h = copy_parse_hundredths(s, end, -1, &v, &ok);
        if (next_h > next) next = next_h;
        if (next <= s) next = s + 1;   /* always make progress */
        s = next;
        while (s < end && (*s == '\t' || *s == '\n')) s++;
    }
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    buf out = BUF_INIT;
    copy_text(&out, text);
    const char *items[2] = {text, text};
    copy_text_array(&out, items, 2);
    buf_free(&out);
    free(text);
    return 0;
}
