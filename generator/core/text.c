#include "core/text.h"

/* Length of the well-formed UTF-8 sequence at s (1..4), or 0 when it is not one; the code
 * point in *cp. */
static size_t S_sequence(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) return *cp = c, 1;
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4 || n < len) return 0;
    unsigned v = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const unsigned MIN[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < MIN[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

bool text_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = S_sequence(p + i, n - i, &cp);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

size_t text_utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max) return n;
    size_t at = max;
    while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80) at--;   /* back to a lead byte */
    return at;
}

void text_xml_clean(buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0;   /* bytes of p kept as they are, not yet appended */
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t len = S_sequence(p + i, n - i, &cp);
        bool keep = len > 0 && (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r') && cp != 0xFFFE && cp != 0xFFFF;
        if (keep) {
            i += len;
            run += len;
            continue;
        }
        buf_append(out, p + i - run, run);
        run = 0;
        if (len == 0) {
            buf_puts(out, "\xEF\xBF\xBD");   /* U+FFFD for a broken sequence */
            len = 1;
        }
        i += len;
    }
    buf_append(out, p + n - run, run);
}
