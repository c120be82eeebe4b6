#include "db/bincopy.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "db/db.h"

static void be16(buf *b, uint16_t v)
{
    unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    buf_append(b, c, 2);
}

static void be32(buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    buf_append(b, c, 4);
}

static void be64(buf *b, uint64_t v)
{
    be32(b, (uint32_t)(v >> 32));
    be32(b, (uint32_t)v);
}

void bincopy_start(bincopy *c)
{
    buf_append(&c->b, "PGCOPY\n\377\r\n\0", 11);
    be32(&c->b, 0);   /* flags */
    be32(&c->b, 0);   /* header extension length */
}

void bincopy_row(bincopy *c, int fields)
{
    be16(&c->b, (uint16_t)fields);
    c->rows++;
}

void bincopy_null(bincopy *c) { be32(&c->b, 0xFFFFFFFFu); }

void bincopy_int(bincopy *c, int v)
{
    be32(&c->b, 4);
    be32(&c->b, (uint32_t)v);
}

void bincopy_int_or_null(bincopy *c, int v, int null_value)
{
    if (v == null_value) bincopy_null(c);
    else bincopy_int(c, v);
}

void bincopy_double(bincopy *c, double v)
{
    if (isnan(v)) {
        bincopy_null(c);
        return;
    }
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    be32(&c->b, 8);
    be64(&c->b, u);
}

void bincopy_date(bincopy *c, date_day d)
{
    be32(&c->b, 4);
    be32(&c->b, (uint32_t)(d - 10957));   /* days since 2000-01-01 */
}

void bincopy_text(bincopy *c, const char *s)
{
    if (!s) {
        bincopy_null(c);
        return;
    }
    size_t n = strlen(s);
    be32(&c->b, (uint32_t)n);
    buf_append(&c->b, s, n);
}

void bincopy_bool(bincopy *c, bool v)
{
    be32(&c->b, 1);
    buf_putc(&c->b, v ? 1 : 0);
}

/* NUMERIC: base-10000 digits, the weight of the first, sign, 2 decimals. */
void bincopy_hundredths_or_null(bincopy *c, int v, int null_value)
{
    if (v == null_value) {
        bincopy_null(c);
        return;
    }
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    uint32_t ip = u / 100, frac = u % 100;
    uint16_t digits[4];
    int n = 0, weight = -1;
    uint16_t int_digits[3];
    int ni = 0;
    for (uint32_t x = ip; x; x /= 10000) int_digits[ni++] = (uint16_t)(x % 10000);
    for (int i = ni - 1; i >= 0; i--) digits[n++] = int_digits[i];
    if (ni) weight = ni - 1;
    if (frac) digits[n++] = (uint16_t)(frac * 100);
    if (!n) weight = 0;
    be32(&c->b, (uint32_t)(8 + 2 * n));
    be16(&c->b, (uint16_t)n);
    be16(&c->b, (uint16_t)(int16_t)weight);
    be16(&c->b, v < 0 ? 0x4000 : 0x0000);
    be16(&c->b, 2);
    for (int i = 0; i < n; i++) be16(&c->b, digits[i]);
}

int bincopy_copy_in(catlog_ctx *ctx, const char *table, const char *columns, bincopy *c)
{
    buf sql = BUF_INIT, step = BUF_INIT;
    buf_printf(&sql, "COPY \"%s\" (%s) FROM STDIN (FORMAT binary)", table, columns);
    buf_printf(&step, "writing \"%s\"", table);
    be16(&c->b, 0xFFFF);   /* trailer */
    int rc = db_copy_begin(ctx, buf_cstr(&step), buf_cstr(&sql));
    if (rc == 0) {
        rc = db_copy_put(ctx, buf_cstr(&step), c->b.data, c->b.len);
        if (db_copy_end(ctx, buf_cstr(&step)) != 0) rc = -1;
    }
    buf_free(&sql);
    buf_free(&step);
    return rc;
}

void bincopy_free(bincopy *c)
{
    buf_free(&c->b);
    c->rows = 0;
}
