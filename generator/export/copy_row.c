#include "export/copy_row.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Undoes COPY's escapes of field [s, end) into out. */
static void unescape(const char *s, const char *end, buf *out)
{
    buf_reset(out);
    for (; s < end; s++) {
        if (*s != '\\' || s + 1 == end) {
            buf_putc(out, *s);
            continue;
        }
        char c = *++s;
        switch (c) {
        case 'b': buf_putc(out, '\b'); break;
        case 'f': buf_putc(out, '\f'); break;
        case 'n': buf_putc(out, '\n'); break;
        case 'r': buf_putc(out, '\r'); break;
        case 't': buf_putc(out, '\t'); break;
        case 'v': buf_putc(out, '\v'); break;
        default: buf_putc(out, c);   /* \\ and anything else: the character itself */
        }
    }
    if (!out->data) buf_puts(out, "");
}

static bool parse_int(const char *s, const char *end, int64_t *out)
{
    if (s == end) return false;
    char tmp[32];
    size_t n = (size_t)(end - s);
    if (n >= sizeof tmp) return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *stop;
    errno = 0;
    long long v = strtoll(tmp, &stop, 10);
    if (errno || *stop) return false;
    *out = v;
    return true;
}

static bool parse_double(const char *s, const char *end, double *out)
{
    char tmp[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof tmp) return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *stop;
    *out = strtod(tmp, &stop);   /* PostgreSQL writes NaN, Infinity, -Infinity: strtod reads them */
    return *stop == '\0';
}

/* An array literal {a,"b c",NULL} (already unescaped from COPY) as a list of strings; w NULL:
 * only whether it is one. */
static bool add_array(parquet_writer *w, const char *s, size_t n, buf *item)
{
    const char *p = s, *end = s + n;
    if (n < 2 || *p != '{' || end[-1] != '}') return false;
    p++;
    end--;
    if (w) parquet_list_begin(w);
    while (p < end) {
        buf_reset(item);
        bool quoted = *p == '"', null = false;
        if (quoted) {
            for (p++; p < end && *p != '"'; p++) {
                if (*p == '\\' && p + 1 < end) p++;
                buf_putc(item, *p);
            }
            if (p == end) return false;
            p++;
        } else {
            const char *start = p;
            for (; p < end && *p != ','; p++) {
                if (*p == '\\' && p + 1 < end) p++;
                buf_putc(item, *p);
            }
            null = p - start == 4 && strncmp(start, "NULL", 4) == 0;
        }
        if (w) parquet_list_item(w, null ? NULL : item->data ? item->data : "", item->len);
        if (p < end) {
            if (*p != ',') return false;
            p++;
        }
    }
    if (w) parquet_list_end(w);
    return true;
}

/* Checks every field before anything is added, so a bad line leaves the writer as it was. */
static bool check_field(const parquet_column *c, const char *s, const char *e, bool null, buf *scratch, buf *item)
{
    if (null) return true;
    int64_t i;
    double d;
    switch (c->type) {
    case PARQUET_STRING: return true;
    case PARQUET_STRING_LIST:
        unescape(s, e, scratch);
        return add_array(NULL, scratch->data, scratch->len, item);
    case PARQUET_DOUBLE: return parse_double(s, e, &d);
    case PARQUET_BOOLEAN: return e - s == 1 && (*s == 't' || *s == 'f');
    default: return parse_int(s, e, &i);
    }
}

int copy_row_to_parquet(parquet_writer *w, const parquet_column *columns, int n, const char *line, size_t len,
                        buf *scratch, buf *err)
{
    if (len && line[len - 1] == '\n') len--;
    const char *end = line + len;
    const char *starts[128], *ends[128];
    if (n > 128) n = 128;
    int k = 0;
    for (const char *p = line; k < n; k++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        starts[k] = p;
        ends[k] = tab ? tab : end;
        if (!tab) {
            k++;
            break;
        }
        p = tab + 1;
    }
    if (k != n || ends[n - 1] != end) {
        buf_printf(err, "expected %d fields, got %s", n, k != n ? "fewer" : "more");
        return -1;
    }
    buf item = BUF_INIT;
    for (int i = 0; i < n; i++) {
        bool null = ends[i] - starts[i] == 2 && starts[i][0] == '\\' && starts[i][1] == 'N';
        if (!check_field(&columns[i], starts[i], ends[i], null, scratch, &item)) {
            int shown = ends[i] - starts[i] > 40 ? 40 : (int)(ends[i] - starts[i]);
            buf_printf(err, "column %s: cannot read '%.*s'", columns[i].name, shown, starts[i]);
            buf_free(&item);
            return -1;
        }
    }
    for (int i = 0; i < n; i++) {
        const char *s = starts[i], *e = ends[i];
        if (e - s == 2 && s[0] == '\\' && s[1] == 'N') {
            parquet_null(w);
            continue;
        }
        int64_t v = 0;
        double d = 0;
        switch (columns[i].type) {
        case PARQUET_STRING:
            unescape(s, e, scratch);
            parquet_string(w, scratch->data, scratch->len);
            break;
        case PARQUET_STRING_LIST:
            unescape(s, e, scratch);
            add_array(w, scratch->data, scratch->len, &item);
            break;
        case PARQUET_DOUBLE:
            parse_double(s, e, &d);
            parquet_double(w, d);
            break;
        case PARQUET_BOOLEAN:
            parquet_int(w, *s == 't');
            break;
        default:
            parse_int(s, e, &v);
            parquet_int(w, v);
        }
    }
    parquet_end_row(w);
    buf_free(&item);
    return 0;
}

void copy_row_first_field(const char *line, size_t len, buf *out)
{
    if (len && line[len - 1] == '\n') len--;
    const char *tab = memchr(line, '\t', len);
    unescape(line, tab ? tab : line + len, out);
}
