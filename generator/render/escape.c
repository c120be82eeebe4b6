#include "render/escape.h"

/* Index 0 means "copy as is"; anything else is an index into repl[]. */
static const unsigned char esc_class[256] = {
    ['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct { const char *s; size_t n; } repl[] = {
    {"", 0}, {"&amp;", 5}, {"&lt;", 4}, {"&gt;", 4}, {"&quot;", 6}, {"&#39;", 5},
};

void esc_html(buf *out, const char *s, size_t n)
{
    size_t run = 0;   /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = esc_class[(unsigned char)s[i]];
        if (!c) continue;
        if (i > run) buf_append(out, s + run, i - run);
        buf_append(out, repl[c].s, repl[c].n);
        run = i + 1;
    }
    if (n > run) buf_append(out, s + run, n - run);
}
