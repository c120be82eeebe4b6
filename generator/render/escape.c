#include "render/escape.h"

/* Index 0 means "copy as is"; anything else is an index into repl[]. DROP: a C0 control
 * XML 1.0 forbids; NONCHAR: the lead byte of U+FFFE / U+FFFF (EF BF BE / EF BF BF), which
 * XML forbids too, dropped when the next two bytes say so. */
enum { DROP = 6, NONCHAR = 7 };
static const unsigned char esc_class[256] = {
    ['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
    [0x00] = DROP, [0x01] = DROP, [0x02] = DROP, [0x03] = DROP, [0x04] = DROP, [0x05] = DROP, [0x06] = DROP,
    [0x07] = DROP, [0x08] = DROP, [0x0B] = DROP, [0x0C] = DROP, [0x0E] = DROP, [0x0F] = DROP, [0x10] = DROP,
    [0x11] = DROP, [0x12] = DROP, [0x13] = DROP, [0x14] = DROP, [0x15] = DROP, [0x16] = DROP, [0x17] = DROP,
    [0x18] = DROP, [0x19] = DROP, [0x1A] = DROP, [0x1B] = DROP, [0x1C] = DROP, [0x1D] = DROP, [0x1E] = DROP,
    [0x1F] = DROP, [0xEF] = NONCHAR,
};
static const struct { const char *s; size_t n; } repl[] = {
    {"", 0}, {"&amp;", 5}, {"&lt;", 4}, {"&gt;", 4}, {"&quot;", 6}, {"&#39;", 5}, {"", 0},
};

void esc_html(buf *out, const char *s, size_t n)
{
    size_t run = 0;   /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = esc_class[(unsigned char)s[i]];
        if (!c) continue;
        size_t skip = 1;
        if (c == NONCHAR) {
            if (i + 2 >= n || (unsigned char)s[i + 1] != 0xBF || ((unsigned char)s[i + 2] & 0xFE) != 0xBE) continue;
            skip = 3;
            c = DROP;
        }
        if (i > run) buf_append(out, s + run, i - run);
        buf_append(out, repl[c].s, repl[c].n);
        run = i + skip;
        i += skip - 1;
    }
    if (n > run) buf_append(out, s + run, n - run);
}
