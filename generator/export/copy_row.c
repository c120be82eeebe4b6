#include "export/copy_row.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

/* A piece of text: in the line itself, or unescaped into the scratch buffer (kept as an
 * offset: the buffer may move while the row is read). */
typedef struct {
    size_t off, len;
    bool scratch;
} span;

typedef struct {
    bool null;
    int64_t i;
    double d;
    span s;
    size_t first_item, items;   /* lists: a slice of the row's items */
} field;

typedef struct {
    span *v;
    size_t n, cap;
} span_list;

/* Undoes COPY's escapes of [s, end) into out (appended). */
static void unescape(const char *s, const char *end, buf *out)
{
    for (; s < end; s++) {
        if (*s != '\\' || s + 1 == end) {
            buf_putc(out, *s);
            continue;
        }
        /* pairs of (escape letter, character); \\ and anything else stand for themselves */
        static const char ESCAPES[] = "b\bf\fn\nr\rt\tv\v";
        const char *e = *++s ? strchr(ESCAPES, *s) : NULL;
        buf_putc(out, e && (e - ESCAPES) % 2 == 0 ? e[1] : *s);
    }
}

/* The field's text without COPY's escapes: the line itself when it has none. */
static span text_of(const char *line, const char *s, const char *e, buf *scratch)
{
    if (!memchr(s, '\\', (size_t)(e - s))) return (span){(size_t)(s - line), (size_t)(e - s), false};
    size_t at = scratch->len;
    unescape(s, e, scratch);
    return (span){at, scratch->len - at, true};
}

static const char *span_ptr(const char *line, const buf *scratch, span s)
{
    if (!s.scratch) return line + s.off;
    return scratch->data ? scratch->data + s.off : "";   /* nothing copied yet: an empty item */
}

static bool parse_int(const char *s, const char *e, int64_t *out)
{
    bool neg = s < e && *s == '-';
    if (neg) s++;
    if (s == e || e - s > 18) return false;
    int64_t v = 0;
    for (; s < e; s++) {
        if (*s < '0' || *s > '9') return false;
        v = v * 10 + (*s - '0');
    }
    *out = neg ? -v : v;
    return true;
}

/* "7.58" as 758 at scale 2; more decimals than the scale are refused, fewer padded, and so is
 * a value with more than `precision` digits (it would not fit the column). */
static bool parse_decimal(const char *s, const char *e, int precision, int scale, int64_t *out)
{
    const char *dot = memchr(s, '.', (size_t)(e - s));
    int64_t whole = 0, frac = 0;
    if (!parse_int(s, dot ? dot : e, &whole) && !(dot && (dot == s || (dot == s + 1 && *s == '-')))) return false;
    int digits = 0;
    if (dot) {
        for (const char *p = dot + 1; p < e; p++, digits++) {
            if (*p < '0' || *p > '9' || digits == scale) return false;
            frac = frac * 10 + (*p - '0');
        }
    }
    for (; digits < scale; digits++) frac *= 10;
    int64_t unit = 1, limit = 1;
    for (int k = 0; k < scale; k++) unit *= 10;
    for (int k = 0; k < precision && k < 18; k++) limit *= 10;
    int64_t magnitude = whole < 0 ? -whole : whole;
    if (magnitude >= limit / unit + (limit % unit != 0)) return false;
    int64_t v = magnitude * unit + frac;
    if (v >= limit) return false;
    *out = *s == '-' ? -v : v;
    return true;
}

static bool parse_double(const char *s, const char *e, double *out)
{
    char tmp[64];
    size_t n = (size_t)(e - s);
    if (n == 0 || n >= sizeof tmp) return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *stop;
    *out = strtod(tmp, &stop);   /* PostgreSQL writes NaN, Infinity, -Infinity: strtod reads them */
    return *stop == '\0';
}

static void add_item(span_list *l, span s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

/* An array literal {a,"b c",NULL} in [s, e) into items; a NULL element is a span of length
 * SIZE_MAX. Plain elements of a field without COPY escapes point into the line; the others
 * are copied, unescaped, to scratch. */
static bool parse_array(const char *line, const char *s, const char *e, buf *scratch, span_list *items)
{
    buf text = BUF_INIT;
    bool in_line = !memchr(s, '\\', (size_t)(e - s));
    if (!in_line) {
        unescape(s, e, &text);
        s = text.data;
        e = text.data + text.len;
    }
    const char *p = s, *end = e;
    bool ok = e - s >= 2 && *p == '{' && end[-1] == '}';
    if (ok) {
        p++;
        end--;
    }
    while (ok && p < end) {
        const char *start = p;
        if (*p == '"' || !in_line) {   /* quoted (or escaped): copied without its quotes and backslashes */
            size_t at = scratch->len;
            bool quoted = *p == '"';
            if (quoted) p++;
            for (; p < end && (quoted ? *p != '"' : *p != ','); p++) {
                if (*p == '\\' && p + 1 < end) p++;
                buf_putc(scratch, *p);
            }
            if (quoted) ok = p++ < end;
            bool null = !quoted && p - start == 4 && strncmp(start, "NULL", 4) == 0;
            add_item(items, (span){at, null ? SIZE_MAX : scratch->len - at, true});
        } else {
            while (p < end && *p != ',') p++;
            bool null = p - start == 4 && strncmp(start, "NULL", 4) == 0;
            add_item(items, (span){(size_t)(start - line), null ? SIZE_MAX : (size_t)(p - start), false});
        }
        if (ok && p < end) {
            ok = *p == ',';
            p++;
        }
    }
    buf_free(&text);
    return ok;
}

static bool parse_field(const parquet_column *c, const char *line, const char *s, const char *e, field *f,
                        buf *scratch, span_list *items)
{
    f->null = e - s == 2 && s[0] == '\\' && s[1] == 'N';
    if (f->null) return true;
    switch (c->type) {
    case PARQUET_STRING: f->s = text_of(line, s, e, scratch); return true;
    case PARQUET_STRING_LIST:
        f->first_item = items->n;
        if (!parse_array(line, s, e, scratch, items)) return false;
        f->items = items->n - f->first_item;
        return true;
    case PARQUET_DOUBLE: return parse_double(s, e, &f->d);
    case PARQUET_BOOLEAN:
        f->i = *s == 't';
        return e - s == 1 && (*s == 't' || *s == 'f');
    case PARQUET_DECIMAL: return parse_decimal(s, e, c->precision, c->scale, &f->i);
    default: return parse_int(s, e, &f->i);
    }
}

int copy_row_to_parquet(parquet_writer *w, const parquet_column *columns, int n, const char *line, size_t len,
                        buf *scratch, buf *err)
{
    enum { MAX_FIELDS = 64 };
    if (len && line[len - 1] == '\n') len--;
    if (n > MAX_FIELDS) {
        buf_printf(err, "more than %d columns", MAX_FIELDS);
        return -1;
    }
    field f[MAX_FIELDS];
    span_list items = {0};
    buf_reset(scratch);
    const char *end = line + len, *p = line;
    int k = 0, rc = 0;
    for (; k < n && rc == 0; k++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *e = tab ? tab : end;
        if ((!tab) != (k == n - 1)) {
            buf_printf(err, "expected %d fields, got %s", n, tab ? "more" : "fewer");
            rc = -1;
        } else if (!parse_field(&columns[k], line, p, e, &f[k], scratch, &items)) {
            int shown = e - p > 40 ? 40 : (int)(e - p);
            buf_printf(err, "column %s: cannot read '%.*s'", columns[k].name, shown, p);
            rc = -1;
        }
        p = e + 1;
    }
    for (int i = 0; rc == 0 && i < n; i++) {   /* every field read: only now does the row go in */
        if (f[i].null) {
            parquet_null(w);
            continue;
        }
        switch (columns[i].type) {
        case PARQUET_STRING: parquet_string(w, span_ptr(line, scratch, f[i].s), f[i].s.len); break;
        case PARQUET_STRING_LIST:
            parquet_list_begin(w);
            for (size_t j = 0; j < f[i].items; j++) {
                span s = items.v[f[i].first_item + j];
                if (s.len == SIZE_MAX) parquet_list_item(w, NULL, 0);
                else parquet_list_item(w, span_ptr(line, scratch, s), s.len);
            }
            parquet_list_end(w);
            break;
        case PARQUET_DOUBLE: parquet_double(w, f[i].d); break;
        default: parquet_int(w, f[i].i);
        }
    }
    if (rc == 0) parquet_end_row(w);
    free(items.v);
    return rc;
}

void copy_row_first_field(const char *line, size_t len, buf *out)
{
    if (len && line[len - 1] == '\n') len--;
    const char *tab = memchr(line, '\t', len);
    buf_reset(out);
    unescape(line, tab ? tab : line + len, out);
    if (!out->data) buf_puts(out, "");
}
