/* libFuzzer target for every place outside text becomes a path, a slug or markup: slugs,
 * HTML/XML escaping, the XML character filter, cutting on a character boundary, and the
 * URL checks. Asserts the promises, not only the absence of crashes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/url.h"
#include "render/escape.h"
#include "site/build_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    size_t n = strlen(s);
    buf out = BUF_INIT;

    site_slug(&out, s);   /* a slug is [a-z0-9-]+, never empty, never a dot segment */
    if (!out.len || strspn(buf_cstr(&out), "abcdefghijklmnopqrstuvwxyz0123456789-") != out.len) abort();

    buf_reset(&out);
    esc_html(&out, s, n);   /* nothing that could open a tag or leave an attribute */
    if (strpbrk(buf_cstr(&out), "<>\"'")) abort();

    buf_reset(&out);
    text_xml_clean(&out, s, n);   /* valid UTF-8 without the characters XML forbids */
    if (!text_utf8_valid(out.data ? out.data : "", out.len)) abort();

    if (text_utf8_valid(s, n)) {
        for (size_t max = 0; max <= n && max < 64; max++)
            if (!text_utf8_valid(s, text_utf8_cut(s, n, max))) abort();
    }

    buf_reset(&out);
    url_redact(&out, s);
    url_has_password(s);
    url_is_local(s);
    buf_free(&out);
    free(s);
    return 0;
}
