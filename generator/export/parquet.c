#include "export/parquet.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "core/alloc.h"

/* Numbers of the format (parquet.thrift). */
enum { T_BOOLEAN = 0, T_INT32 = 1, T_INT64 = 2, T_DOUBLE = 5, T_BYTE_ARRAY = 6 };
enum { REP_REQUIRED = 0, REP_OPTIONAL = 1, REP_REPEATED = 2 };
enum { CONV_UTF8 = 0, CONV_LIST = 3, CONV_DECIMAL = 5, CONV_DATE = 6, CONV_TIMESTAMP_MICROS = 10 };
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };
enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { CODEC_ZSTD = 6 };
/* Thrift compact protocol field types. */
enum { TC_TRUE = 1, TC_FALSE = 2, TC_I32 = 5, TC_I64 = 6, TC_BINARY = 8, TC_LIST = 9, TC_STRUCT = 12 };

#define DEFAULT_ROW_GROUP 1048576L
#define MAX_DICT_ENTRIES 65536
#define MAX_DICT_BYTES (1 << 20)

/* ---------------------------------------------------------------- Thrift compact writer */

typedef struct {
    buf *b;
    int last[16];   /* last field id at each struct depth */
    int depth;
} thrift;

static void tc_varint(buf *b, uint64_t v)
{
    while (v >= 0x80) {
        buf_putc(b, (char)(v | 0x80));
        v >>= 7;
    }
    buf_putc(b, (char)v);
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }

static void tc_field(thrift *t, int id, int type)
{
    int delta = id - t->last[t->depth];
    if (delta > 0 && delta <= 15) {
        buf_putc(t->b, (char)(delta << 4 | type));
    } else {
        buf_putc(t->b, (char)type);
        tc_varint(t->b, zigzag(id));
    }
    t->last[t->depth] = id;
}

static void tc_i32(thrift *t, int id, int32_t v)
{
    tc_field(t, id, TC_I32);
    tc_varint(t->b, zigzag(v));
}

static void tc_i64(thrift *t, int id, int64_t v)
{
    tc_field(t, id, TC_I64);
    tc_varint(t->b, zigzag(v));
}

static void tc_binary(thrift *t, int id, const void *p, size_t n)
{
    tc_field(t, id, TC_BINARY);
    tc_varint(t->b, n);
    buf_append(t->b, p, n);
}

static void tc_string(thrift *t, int id, const char *s) { tc_binary(t, id, s, strlen(s)); }
static void tc_bool(thrift *t, int id, bool v) { tc_field(t, id, v ? TC_TRUE : TC_FALSE); }

static void tc_list(thrift *t, int id, int elem_type, size_t n)
{
    tc_field(t, id, TC_LIST);
    if (n < 15) {
        buf_putc(t->b, (char)(n << 4 | (size_t)elem_type));
    } else {
        buf_putc(t->b, (char)(0xF0 | elem_type));
        tc_varint(t->b, n);
    }
}

/* A struct as field `id` (id 0: as a list element); ends with tc_end. */
static void tc_begin(thrift *t, int id)
{
    if (id) tc_field(t, id, TC_STRUCT);
    t->last[++t->depth] = 0;
}

static void tc_end(thrift *t)
{
    buf_putc(t->b, 0);
    t->depth--;
}

/* ---------------------------------------------------------------- RLE / bit-packed hybrid */

static void put_le(buf *b, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) buf_putc(b, (char)(v >> (8 * i)));
}

/* Bit-packs groups of 8 values (the last one padded with zeros), LSB first. */
static void bitpack(buf *b, const uint32_t *v, size_t n, int width)
{
    size_t groups = (n + 7) / 8;
    tc_varint(b, (uint64_t)groups << 1 | 1);
    uint64_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < groups * 8; i++) {
        acc |= (uint64_t)(i < n ? v[i] : 0) << bits;
        bits += width;
        while (bits >= 8) {
            buf_putc(b, (char)acc);
            acc >>= 8;
            bits -= 8;
        }
    }
}

/* Runs of 8 or more equal values become RLE runs, the rest bit-packed groups of 8. */
static void rle_hybrid(buf *b, const uint32_t *v, size_t n, int width)
{
    int value_bytes = (width + 7) / 8;
    size_t lit_start = 0, i = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && v[i + run] == v[i]) run++;
        /* bit-packed stretches must hold whole groups of 8, so a run only starts where
         * the literal stretch before it is a multiple of 8 long */
        size_t lit = i - lit_start;
        if (run >= 8 && lit % 8 == 0) {
            if (lit) bitpack(b, v + lit_start, lit, width);
            tc_varint(b, (uint64_t)run << 1);
            put_le(b, v[i], value_bytes);
            i += run;
            lit_start = i;
        } else {
            i++;
        }
    }
    if (lit_start < n) bitpack(b, v + lit_start, n - lit_start, width);
}

static int bit_width(uint32_t max)
{
    int w = 0;
    while (max >> w) w++;
    return w;
}

/* Levels of a v1 data page: 4-byte length, then the hybrid encoding. */
static void put_levels(buf *b, const uint8_t *levels, size_t n, int max_level, uint32_t *scratch)
{
    for (size_t i = 0; i < n; i++) scratch[i] = levels[i];
    size_t at = b->len;
    put_le(b, 0, 4);
    rle_hybrid(b, scratch, n, bit_width((uint32_t)max_level));
    uint32_t len = (uint32_t)(b->len - at - 4);
    for (int k = 0; k < 4; k++) b->data[at + (size_t)k] = (char)(len >> (8 * k));
}

/* ---------------------------------------------------------------- the writer */

typedef struct {
    int64_t off;
    uint32_t len;
} str_ref;

/* One column chunk as the footer describes it. */
typedef struct {
    int64_t num_values, uncompressed, compressed, data_offset, dict_offset;   /* dict_offset -1: none */
    int64_t nulls;
    bool dictionary;
    buf min, max;   /* plain-encoded, empty when every value is null */
} chunk_meta;

typedef struct {
    int64_t rows, offset, uncompressed, compressed;
    chunk_meta *chunks;
} group_meta;

typedef struct {
    parquet_column def;
    int physical;
    int max_def, max_rep;
    uint8_t *defs, *reps;      /* one per level entry */
    size_t nlevels, cap_levels;
    int64_t *ints;             /* non-null values */
    double *dbls;
    str_ref *strs;
    size_t nvals, cap_vals;
    buf bytes;                 /* string bytes */
    int64_t nulls;
    bool in_list;
    size_t list_items;
} column;

struct parquet_writer {
    column *cols;
    int ncols, at;             /* `at`: the column the next value goes to */
    long group_rows;
    int level;
    int64_t rows_in_group, rows;
    buf file;
    group_meta *groups;
    int ngroups;
    buf err;
    uint32_t *scratch;
    size_t cap_scratch;
};

static int physical_of(parquet_type t)
{
    switch (t) {
    case PARQUET_INT64:
    case PARQUET_TIMESTAMP: return T_INT64;
    case PARQUET_DOUBLE: return T_DOUBLE;
    case PARQUET_BOOLEAN: return T_BOOLEAN;
    case PARQUET_STRING:
    case PARQUET_STRING_LIST: return T_BYTE_ARRAY;
    default: return T_INT32;
    }
}

parquet_writer *parquet_open(const parquet_column *columns, int ncolumns, long row_group_rows, int zstd_level)
{
    parquet_writer *w = xcalloc(1, sizeof *w);
    w->cols = xcalloc((size_t)ncolumns, sizeof *w->cols);
    w->ncols = ncolumns;
    w->group_rows = row_group_rows > 0 ? row_group_rows : DEFAULT_ROW_GROUP;
    w->level = zstd_level > 0 ? zstd_level : 1;
    for (int i = 0; i < ncolumns; i++) {
        column *c = &w->cols[i];
        c->def = columns[i];
        c->physical = physical_of(columns[i].type);
        bool list = columns[i].type == PARQUET_STRING_LIST;
        c->max_def = list ? 3 : 1;
        c->max_rep = list ? 1 : 0;
    }
    buf_puts(&w->file, "PAR1");
    return w;
}

static void push_level(column *c, int def, int rep)
{
    if (c->nlevels == c->cap_levels) {
        c->cap_levels = c->cap_levels ? c->cap_levels * 2 : 1024;
        c->defs = xrealloc(c->defs, c->cap_levels);
        c->reps = xrealloc(c->reps, c->cap_levels);
    }
    c->defs[c->nlevels] = (uint8_t)def;
    c->reps[c->nlevels++] = (uint8_t)rep;
    if (def < c->max_def) c->nulls++;
}

static void grow_values(column *c)
{
    if (c->nvals < c->cap_vals) return;
    c->cap_vals = c->cap_vals ? c->cap_vals * 2 : 1024;
    if (c->physical == T_DOUBLE) c->dbls = xrealloc(c->dbls, c->cap_vals * sizeof *c->dbls);
    else if (c->physical == T_BYTE_ARRAY) c->strs = xrealloc(c->strs, c->cap_vals * sizeof *c->strs);
    else c->ints = xrealloc(c->ints, c->cap_vals * sizeof *c->ints);
}

static column *current(parquet_writer *w) { return &w->cols[w->at]; }

/* The next column, its value's level pushed and room made for the value. */
static column *next_value(parquet_writer *w)
{
    column *c = &w->cols[w->at++];
    push_level(c, c->max_def, 0);
    grow_values(c);
    return c;
}

void parquet_null(parquet_writer *w)
{
    push_level(current(w), 0, 0);
    w->at++;
}

void parquet_int(parquet_writer *w, int64_t v)
{
    column *c = next_value(w);
    c->ints[c->nvals++] = v;
}

void parquet_double(parquet_writer *w, double v)
{
    column *c = next_value(w);
    c->dbls[c->nvals++] = v;
}

static void push_string(column *c, const char *s, size_t len)
{
    grow_values(c);
    c->strs[c->nvals++] = (str_ref){(int64_t)c->bytes.len, (uint32_t)len};
    buf_append(&c->bytes, s, len);
}

void parquet_string(parquet_writer *w, const char *s, size_t len)
{
    column *c = next_value(w);
    c->strs[c->nvals++] = (str_ref){(int64_t)c->bytes.len, (uint32_t)len};
    buf_append(&c->bytes, s, len);
}

void parquet_list_begin(parquet_writer *w)
{
    column *c = current(w);
    c->in_list = true;
    c->list_items = 0;
}

void parquet_list_item(parquet_writer *w, const char *s, size_t len)
{
    column *c = current(w);
    push_level(c, s ? 3 : 2, c->list_items++ ? 1 : 0);
    if (s) push_string(c, s, len);
}

void parquet_list_end(parquet_writer *w)
{
    column *c = current(w);
    if (c->list_items == 0) push_level(c, 1, 0);   /* an empty list */
    c->in_list = false;
    w->at++;
}

long long parquet_rows(const parquet_writer *w) { return w->rows; }

/* ---- statistics */

static int cmp_str(const column *c, str_ref a, str_ref b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int r = memcmp(c->bytes.data + a.off, c->bytes.data + b.off, n);
    return r ? r : (a.len > b.len) - (a.len < b.len);
}

static void plain_value(const column *c, size_t i, buf *out)
{
    switch (c->physical) {
    case T_INT64: put_le(out, (uint64_t)c->ints[i], 8); break;
    case T_INT32: put_le(out, (uint64_t)(uint32_t)(int32_t)c->ints[i], 4); break;
    case T_BOOLEAN: buf_putc(out, (char)(c->ints[i] != 0)); break;
    case T_DOUBLE: {
        uint64_t u;
        memcpy(&u, &c->dbls[i], 8);
        put_le(out, u, 8);
        break;
    }
    default: buf_append(out, c->bytes.data + c->strs[i].off, c->strs[i].len);
    }
}

static void statistics(const column *c, chunk_meta *m)
{
    size_t lo = (size_t)-1, hi = (size_t)-1;
    for (size_t i = 0; i < c->nvals; i++) {
        if (c->physical == T_DOUBLE && isnan(c->dbls[i])) continue;
        if (lo == (size_t)-1) {
            lo = hi = i;
            continue;
        }
        int below, above;
        if (c->physical == T_DOUBLE) {
            below = c->dbls[i] < c->dbls[lo];
            above = c->dbls[i] > c->dbls[hi];
        } else if (c->physical == T_BYTE_ARRAY) {
            below = cmp_str(c, c->strs[i], c->strs[lo]) < 0;
            above = cmp_str(c, c->strs[i], c->strs[hi]) > 0;
        } else {
            below = c->ints[i] < c->ints[lo];
            above = c->ints[i] > c->ints[hi];
        }
        if (below) lo = i;
        if (above) hi = i;
    }
    if (lo == (size_t)-1) return;
    plain_value(c, lo, &m->min);
    plain_value(c, hi, &m->max);
}

/* ---- dictionary */

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

/* Dictionary indices of c's strings into idx, the dictionary (PLAIN) into dict and the
 * chunk's min/max (found among the entries) into m; false when the dictionary would grow too
 * large (then the chunk is written PLAIN). */
static bool build_dictionary(const column *c, uint32_t *idx, buf *dict, uint32_t *entries, chunk_meta *m)
{
    size_t cap = 1024;
    while (cap < 2 * (c->nvals < MAX_DICT_ENTRIES ? c->nvals : MAX_DICT_ENTRIES)) cap *= 2;
    int64_t *slots = xmalloc(cap * sizeof *slots);   /* value index of the entry, -1 empty */
    uint32_t *entry_of = xmalloc(cap * sizeof *entry_of);
    for (size_t i = 0; i < cap; i++) slots[i] = -1;
    uint32_t n = 0;
    bool ok = true;
    size_t lo = 0, hi = 0;
    for (size_t i = 0; i < c->nvals && ok; i++) {
        str_ref s = c->strs[i];
        size_t h = (size_t)hash_bytes(c->bytes.data + s.off, s.len) & (cap - 1);
        while (slots[h] >= 0 && cmp_str(c, c->strs[slots[h]], s) != 0) h = (h + 1) & (cap - 1);
        if (slots[h] < 0) {
            if (n == MAX_DICT_ENTRIES || dict->len + 4 + s.len > MAX_DICT_BYTES) {
                ok = false;
                break;
            }
            slots[h] = (int64_t)i;
            entry_of[h] = n++;
            if (cmp_str(c, s, c->strs[lo]) < 0) lo = i;
            if (cmp_str(c, s, c->strs[hi]) > 0) hi = i;
            put_le(dict, s.len, 4);
            buf_append(dict, c->bytes.data + s.off, s.len);
        }
        idx[i] = entry_of[h];
    }
    free(slots);
    free(entry_of);
    *entries = n;
    if (ok && c->nvals) {
        plain_value(c, lo, &m->min);
        plain_value(c, hi, &m->max);
    }
    return ok;
}

/* ---- pages */

static uint32_t *scratch(parquet_writer *w, size_t n)
{
    if (n > w->cap_scratch) {
        w->cap_scratch = n;
        w->scratch = xrealloc(w->scratch, n * sizeof *w->scratch);
    }
    return w->scratch;
}

/* Compresses one page body and appends header + body to the file; adds its sizes to m. */
static int write_page(parquet_writer *w, int type, const buf *body, int64_t num_values, int encoding, chunk_meta *m)
{
    size_t bound = ZSTD_compressBound(body->len);
    char *z = xmalloc(bound ? bound : 1);
    size_t zn = ZSTD_compress(z, bound, body->data ? body->data : "", body->len, w->level);
    if (ZSTD_isError(zn)) {
        buf_printf(&w->err, "compressing a Parquet page: %s", ZSTD_getErrorName(zn));
        free(z);
        return -1;
    }
    buf header = BUF_INIT;
    thrift t = {&header, {0}, 0};
    tc_i32(&t, 1, type);
    tc_i32(&t, 2, (int32_t)body->len);
    tc_i32(&t, 3, (int32_t)zn);
    if (type == PAGE_DATA) {
        tc_begin(&t, 5);
        tc_i32(&t, 1, (int32_t)num_values);
        tc_i32(&t, 2, encoding);
        tc_i32(&t, 3, ENC_RLE);
        tc_i32(&t, 4, ENC_RLE);
        tc_end(&t);
    } else {
        tc_begin(&t, 7);
        tc_i32(&t, 1, (int32_t)num_values);
        tc_i32(&t, 2, ENC_PLAIN);
        tc_end(&t);
    }
    buf_putc(&header, 0);   /* end of PageHeader */
    m->uncompressed += (int64_t)(header.len + body->len);
    m->compressed += (int64_t)(header.len + zn);
    buf_append(&w->file, header.data, header.len);
    buf_append(&w->file, z, zn);
    buf_free(&header);
    free(z);
    return 0;
}

/* Little-endian bytes of v, written straight into out's spare room (out has `bytes` free). */
static void store_le(buf *out, uint64_t v, int bytes)
{
    unsigned char *p = (unsigned char *)out->data + out->len;
    for (int i = 0; i < bytes; i++) p[i] = (unsigned char)(v >> (8 * i));
    out->len += (size_t)bytes;
}

static void plain_values(const column *c, buf *out)
{
    switch (c->physical) {
    case T_BOOLEAN: {
        unsigned char acc = 0;
        for (size_t i = 0; i < c->nvals; i++) {
            if (c->ints[i]) acc |= (unsigned char)(1u << (i % 8));
            if (i % 8 == 7) {
                buf_putc(out, (char)acc);
                acc = 0;
            }
        }
        if (c->nvals % 8) buf_putc(out, (char)acc);
        break;
    }
    case T_INT32:
        buf_grow(out, c->nvals * 4 + 1);
        for (size_t i = 0; i < c->nvals; i++) store_le(out, (uint32_t)(int32_t)c->ints[i], 4);
        break;
    case T_INT64:
        buf_grow(out, c->nvals * 8 + 1);
        for (size_t i = 0; i < c->nvals; i++) store_le(out, (uint64_t)c->ints[i], 8);
        break;
    case T_DOUBLE:
        buf_grow(out, c->nvals * 8 + 1);
        for (size_t i = 0; i < c->nvals; i++) {
            uint64_t u;
            memcpy(&u, &c->dbls[i], 8);
            store_le(out, u, 8);
        }
        break;
    default:
        for (size_t i = 0; i < c->nvals; i++) {
            put_le(out, c->strs[i].len, 4);
            buf_append(out, c->bytes.data + c->strs[i].off, c->strs[i].len);
        }
    }
    if (out->data) out->data[out->len] = '\0';
}

static int write_chunk(parquet_writer *w, column *c, chunk_meta *m)
{
    m->num_values = (int64_t)c->nlevels;
    m->nulls = c->nulls;
    m->dict_offset = -1;
    buf body = BUF_INIT, dict = BUF_INIT;
    uint32_t *idx = NULL, entries = 0;
    int rc = 0;
    if (c->physical == T_BYTE_ARRAY && c->nvals > 0) {
        idx = xmalloc(c->nvals * sizeof *idx);
        m->dictionary = build_dictionary(c, idx, &dict, &entries, m);
        if (m->dictionary) {
            m->dict_offset = (int64_t)w->file.len;
            rc = write_page(w, PAGE_DICTIONARY, &dict, entries, ENC_PLAIN, m);
        }
    }
    if (!m->dictionary) statistics(c, m);
    m->data_offset = (int64_t)w->file.len;
    if (rc == 0) {
        uint32_t *levels = scratch(w, c->nlevels + 1);
        if (c->max_rep) put_levels(&body, c->reps, c->nlevels, c->max_rep, levels);
        put_levels(&body, c->defs, c->nlevels, c->max_def, levels);
        if (m->dictionary) {
            int width = bit_width(entries > 1 ? entries - 1 : 1);
            buf_putc(&body, (char)width);
            rle_hybrid(&body, idx, c->nvals, width);
        } else {
            plain_values(c, &body);
        }
        rc = write_page(w, PAGE_DATA, &body, (int64_t)c->nlevels, m->dictionary ? ENC_RLE_DICTIONARY : ENC_PLAIN, m);
    }
    free(idx);
    buf_free(&body);
    buf_free(&dict);
    c->nlevels = c->nvals = 0;
    c->nulls = 0;
    buf_reset(&c->bytes);
    return rc;
}

static int flush_group(parquet_writer *w)
{
    if (w->rows_in_group == 0) return 0;
    w->groups = xrealloc(w->groups, (size_t)(w->ngroups + 1) * sizeof *w->groups);
    group_meta *g = &w->groups[w->ngroups++];
    memset(g, 0, sizeof *g);
    g->rows = w->rows_in_group;
    g->offset = (int64_t)w->file.len;
    g->chunks = xcalloc((size_t)w->ncols, sizeof *g->chunks);
    int rc = 0;
    for (int i = 0; i < w->ncols && rc == 0; i++) {
        rc = write_chunk(w, &w->cols[i], &g->chunks[i]);
        g->uncompressed += g->chunks[i].uncompressed;
        g->compressed += g->chunks[i].compressed;
    }
    w->rows_in_group = 0;
    return rc;
}

void parquet_end_row(parquet_writer *w)
{
    w->at = 0;
    w->rows++;
    if (++w->rows_in_group >= w->group_rows && flush_group(w) != 0) w->group_rows = -1;   /* reported at finish */
}

/* ---------------------------------------------------------------- footer */

/* logicalType (field 10 of a SchemaElement): a union holding one struct with no fields of
 * its own, e.g. StringType (1), ListType (3), DateType (6). */
static void logical_type(thrift *t, int which)
{
    tc_begin(t, 10);
    tc_begin(t, which);
    tc_end(t);
    tc_end(t);
}

static void schema_element(thrift *t, const column *c)
{
    const parquet_column *d = &c->def;
    if (d->type == PARQUET_STRING_LIST) {   /* name (LIST) / list (repeated) / element */
        tc_begin(t, 0);
        tc_i32(t, 3, REP_OPTIONAL);
        tc_string(t, 4, d->name);
        tc_i32(t, 5, 1);
        tc_i32(t, 6, CONV_LIST);
        logical_type(t, 3);
        tc_end(t);
        tc_begin(t, 0);
        tc_i32(t, 3, REP_REPEATED);
        tc_string(t, 4, "list");
        tc_i32(t, 5, 1);
        tc_end(t);
    }
    tc_begin(t, 0);
    tc_i32(t, 1, c->physical);
    tc_i32(t, 3, REP_OPTIONAL);
    tc_string(t, 4, d->type == PARQUET_STRING_LIST ? "element" : d->name);
    switch (d->type) {
    case PARQUET_STRING:
    case PARQUET_STRING_LIST:
        tc_i32(t, 6, CONV_UTF8);
        logical_type(t, 1);
        break;
    case PARQUET_DATE:
        tc_i32(t, 6, CONV_DATE);
        logical_type(t, 6);
        break;
    case PARQUET_DECIMAL:
        tc_i32(t, 6, CONV_DECIMAL);
        tc_i32(t, 7, d->scale);
        tc_i32(t, 8, d->precision);
        tc_begin(t, 10);
        tc_begin(t, 5);   /* DecimalType */
        tc_i32(t, 1, d->scale);
        tc_i32(t, 2, d->precision);
        tc_end(t);
        tc_end(t);
        break;
    case PARQUET_TIMESTAMP:
        tc_i32(t, 6, CONV_TIMESTAMP_MICROS);
        tc_begin(t, 10);
        tc_begin(t, 8);   /* TimestampType */
        tc_bool(t, 1, true);
        tc_begin(t, 2);   /* TimeUnit: MICROS */
        tc_begin(t, 2);
        tc_end(t);
        tc_end(t);
        tc_end(t);
        tc_end(t);
        break;
    default:
        break;
    }
    tc_end(t);
}

static void column_chunk(thrift *t, const column *c, const chunk_meta *m)
{
    tc_begin(t, 0);
    tc_i64(t, 2, m->dict_offset >= 0 ? m->dict_offset : m->data_offset);
    tc_begin(t, 3);
    tc_i32(t, 1, c->physical);
    int enc[3] = {ENC_RLE, ENC_PLAIN, ENC_RLE_DICTIONARY};
    tc_list(t, 2, TC_I32, m->dictionary ? 3 : 2);
    for (int k = 0; k < (m->dictionary ? 3 : 2); k++) tc_varint(t->b, zigzag(enc[k]));
    bool list = c->def.type == PARQUET_STRING_LIST;
    tc_list(t, 3, TC_BINARY, list ? 3 : 1);
    const char *path[3] = {c->def.name, "list", "element"};
    for (int k = 0; k < (list ? 3 : 1); k++) {
        tc_varint(t->b, strlen(path[k]));
        buf_puts(t->b, path[k]);
    }
    tc_i32(t, 4, CODEC_ZSTD);
    tc_i64(t, 5, m->num_values);
    tc_i64(t, 6, m->uncompressed);
    tc_i64(t, 7, m->compressed);
    tc_i64(t, 9, m->data_offset);
    if (m->dict_offset >= 0) tc_i64(t, 11, m->dict_offset);
    tc_begin(t, 12);   /* Statistics */
    tc_i64(t, 3, m->nulls);
    if (m->max.len) {
        tc_binary(t, 5, m->max.data, m->max.len);
        tc_binary(t, 6, m->min.data, m->min.len);
    }
    tc_end(t);
    tc_end(t);   /* ColumnMetaData */
    tc_end(t);   /* ColumnChunk */
}

static void footer(parquet_writer *w, buf *out)
{
    thrift t = {out, {0}, 0};
    tc_i32(&t, 1, 2);
    int leaves = w->ncols, elements = 1;
    for (int i = 0; i < w->ncols; i++) elements += w->cols[i].def.type == PARQUET_STRING_LIST ? 3 : 1;
    tc_list(&t, 2, TC_STRUCT, (size_t)elements);
    tc_begin(&t, 0);
    tc_string(&t, 4, "schema");
    tc_i32(&t, 5, w->ncols);
    tc_end(&t);
    for (int i = 0; i < w->ncols; i++) schema_element(&t, &w->cols[i]);
    tc_i64(&t, 3, w->rows);
    tc_list(&t, 4, TC_STRUCT, (size_t)w->ngroups);
    for (int g = 0; g < w->ngroups; g++) {
        const group_meta *gm = &w->groups[g];
        tc_begin(&t, 0);
        tc_list(&t, 1, TC_STRUCT, (size_t)w->ncols);
        for (int i = 0; i < w->ncols; i++) column_chunk(&t, &w->cols[i], &gm->chunks[i]);
        tc_i64(&t, 2, gm->uncompressed);
        tc_i64(&t, 3, gm->rows);
        tc_i64(&t, 5, gm->offset);
        tc_i64(&t, 6, gm->compressed);
        tc_end(&t);
    }
    tc_string(&t, 6, "catlog " CATLOG_VERSION);
    tc_list(&t, 7, TC_STRUCT, (size_t)leaves);   /* column orders: min/max by the type's order */
    for (int i = 0; i < leaves; i++) {
        tc_begin(&t, 0);
        tc_begin(&t, 1);
        tc_end(&t);
        tc_end(&t);
    }
    buf_putc(out, 0);   /* end of FileMetaData */
}

int parquet_finish(parquet_writer *w, buf *out, buf *err)
{
    int rc = w->group_rows < 0 ? -1 : flush_group(w);
    if (rc == 0) {
        buf meta = BUF_INIT;
        footer(w, &meta);
        buf_append(out, w->file.data, w->file.len);
        buf_append(out, meta.data, meta.len);
        put_le(out, meta.len, 4);
        buf_puts(out, "PAR1");
        buf_free(&meta);
    } else {
        buf_puts(err, w->err.len ? buf_cstr(&w->err) : "writing a Parquet file failed");
    }
    parquet_free(w);
    return rc;
}

void parquet_free(parquet_writer *w)
{
    if (!w) return;
    for (int i = 0; i < w->ncols; i++) {
        column *c = &w->cols[i];
        free(c->defs);
        free(c->reps);
        free(c->ints);
        free(c->dbls);
        free(c->strs);
        buf_free(&c->bytes);
    }
    for (int g = 0; g < w->ngroups; g++) {
        for (int i = 0; i < w->ncols; i++) {
            buf_free(&w->groups[g].chunks[i].min);
            buf_free(&w->groups[g].chunks[i].max);
        }
        free(w->groups[g].chunks);
    }
    free(w->groups);
    free(w->cols);
    buf_free(&w->file);
    buf_free(&w->err);
    free(w->scratch);
    free(w);
}
