#include "db/copy.h"

#include <string.h>

static void escape_into(buf *b, const char *s, int in_array)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '\\': buf_puts(b, in_array ? "\\\\\\\\" : "\\\\"); break;  /* array: \\ then COPY-escaped */
        case '\t': buf_puts(b, "\\t"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '"':
            if (in_array) buf_puts(b, "\\\\\"");
            else buf_putc(b, '"');
            break;
        default: buf_putc(b, (char)c);
        }
    }
}

void copy_text(buf *b, const char *s)
{
    if (!s) {
        copy_null(b);
        return;
    }
    escape_into(b, s, 0);
}

void copy_text_array(buf *b, const char *const *items, size_t n)
{
    buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i) buf_putc(b, ',');
        buf_putc(b, '"');
        escape_into(b, items[i], 1);
        buf_putc(b, '"');
    }
    buf_putc(b, '}');
}

void copy_int(buf *b, long long v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

void copy_null(buf *b) { buf_append(b, "\\N", 2); }

void copy_hundredths(buf *b, int v)
{
    if (v < 0) {
        buf_putc(b, '-');
        v = -v;
    }
    copy_int(b, v / 100);
    char frac[3] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10), 0};
    buf_putc(b, '.');
    buf_append(b, frac, 2);
}

/* One field at s: "\N" gives null_value; else an integer, or with `hundredths` a NUMERIC of
 * at most two decimals as hundredths. Digits are read while the value is below `limit`. */
static const char *parse_number(const char *s, const char *end, bool hundredths, long long limit,
                                int null_value, int *out, bool *ok)
{
    if (end - s >= 2 && s[0] == '\\' && s[1] == 'N') {
        *out = null_value;
        return s + 2;
    }
    bool neg = s < end && *s == '-';
    if (neg) s++;
    long long v = 0;
    const char *start = s;
    while (s < end && *s >= '0' && *s <= '9' && v < limit) v = v * 10 + (*s++ - '0');
    if (s == start) *ok = false;
    if (hundredths) {
        int frac = 0, digits = 0;
        if (s < end && *s == '.') {
            s++;
            while (s < end && *s >= '0' && *s <= '9') {
                if (digits < 2) frac = frac * 10 + (*s - '0');
                else if (*s != '0') *ok = false;   /* finer than hundredths */
                digits++;
                s++;
            }
        }
        if (digits == 1) frac *= 10;
        v = v * 100 + frac;
    }
    if (v > 2147483647LL) *ok = false;
    *out = (int)(neg ? -v : v);
    return s;
}

const char *copy_parse_int(const char *s, const char *end, int null_value, int *out, bool *ok)
{
    return parse_number(s, end, false, 10000000000LL, null_value, out, ok);
}

const char *copy_parse_hundredths(const char *s, const char *end, int null_value, int *out, bool *ok)
{
    return parse_number(s, end, true, 100000000LL, null_value, out, ok);
}
