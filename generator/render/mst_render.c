/* Mustache renderer: walks the flat node array of a compiled template.
 *
 * Indentation of standalone partials (and of blocks) is applied lazily: the renderer
 * knows when the next template element starts a source line and writes the current
 * indentation before it, which is the same as prepending it to each template line. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "render/escape.h"
#include "render/mst_internal.h"

/* Recursion backstop: sections, partials and blocks together. Parsing bounds sections per
 * template and the renderer bounds partial chains by MST_MAX_DEPTH; this bounds their
 * product so the C stack stays small. */
#define MST_MAX_NEST 1000

/* The blocks passed by one {{<parent}} call, and the calls it is nested in. A block's
 * replacement renders in the scope of the template that wrote it (scope->outer). */
typedef struct scope {
    const mst_template *t;
    uint32_t node;
    const struct scope *outer;
} scope;

typedef struct {
    mst_loader *ld;
    buf *out, *err;
    const cJSON **ctx;      /* context stack, top = ctx[nctx - 1] */
    size_t nctx, capctx;
    const cJSON *ctx_inline[32];
    buf ind;                /* indentation stack; current one is ind[ioff .. ind.len) */
    size_t ioff;
    bool bol;               /* the next template element starts a source line */
    int pdepth;             /* partial/parent chain */
    int nest;
    size_t steps, max_steps;
    bool failed;
} rstate;

static void rfail(rstate *st, const mst_template *t, const mst_node *nd, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void rfail(rstate *st, const mst_template *t, const mst_node *nd, const char *fmt, ...)
{
    if (st->failed) return;
    st->failed = true;
    buf_printf(st->err, "%s:%u:%u: ", t->name, nd->line, nd->col);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(st->err, fmt, ap);
    va_end(ap);
}

/* buf_append with the no-growth case inlined: pages are built from many short pieces. */
static inline void put(buf *out, const char *s, size_t n)
{
    if (out->len + n < out->cap) {
        memcpy(out->data + out->len, s, n);
        out->len += n;
        out->data[out->len] = '\0';
    } else {
        buf_append(out, s, n);
    }
}

/* ---- numbers ---------------------------------------------------------------------- */

/* Most numbers in pages are integers or have a few decimals (8.47): for those, the
 * smallest k for which round(v * 10^k) / 10^k == v gives the shortest round-trip digits
 * without printf. Below 1e15 the scaled value is exact enough for the nearest integer to
 * be the only candidate, so the result is the same as the general path's. */
static bool format_fixed(buf *out, double v)
{
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    if (v < 1e-6) return false;     /* JavaScript switches to exponents below 1e-6 */
    for (int k = 0; k < (int)(sizeof p10 / sizeof p10[0]); k++) {
        double s = v * p10[k];
        if (s >= 1e15) return false;
        uint64_t r = (uint64_t)(s + 0.5);
        double d = s - (double)r;
        /* Cheap filter first; the division decides. */
        if (d > s * 1e-15 || d < -s * 1e-15 || (double)r / p10[k] != v) continue;
        char tmp[24];
        int n = 0;
        for (uint64_t u = r; u || n <= k; u /= 10) tmp[n++] = (char)('0' + u % 10);
        buf_grow(out, (size_t)n + 1);
        char *o = out->data + out->len;
        for (int i = n; i-- > 0;) {
            *o++ = tmp[i];
            if (i == k && k > 0) *o++ = '.';
        }
        out->len = (size_t)(o - out->data);
        *o = '\0';
        return true;
    }
    return false;
}

void mst_format_number(buf *out, double v)
{
    if (isnan(v)) { buf_puts(out, "NaN"); return; }
    if (isinf(v)) { buf_puts(out, v < 0 ? "-Infinity" : "Infinity"); return; }
    if (v == 0) { buf_putc(out, '0'); return; }    /* also -0, as JavaScript prints it */
    if (v < 0) {
        buf_putc(out, '-');
        v = -v;
    }
    if (v < 1e15 && (double)(uint64_t)v == v) {     /* integers: the common case */
        static const char pairs[] =
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
            "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
            "8081828384858687888990919293949596979899";
        char tmp[24];
        char *e = tmp + sizeof tmp, *d = e;
        uint64_t u = (uint64_t)v;
        for (; u >= 100; u /= 100) {
            d -= 2;
            memcpy(d, pairs + 2 * (u % 100), 2);
        }
        if (u >= 10) {
            d -= 2;
            memcpy(d, pairs + 2 * u, 2);
        } else {
            *--d = (char)('0' + u);
        }
        put(out, d, (size_t)(e - d));
        return;
    }
    if (format_fixed(out, v)) return;
    /* Shortest digit string that reads back as v: d.ddddde±x with 1..17 digits. */
    char e[40];
    int prec;
    for (prec = 0; prec < 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec, v);
        if (strtod(e, NULL) == v) break;
    }
    char digits[24];
    int nd = 0;
    const char *p = e;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    int exp10 = atoi(p + 1) + 1;    /* value = 0.DIGITS * 10^exp10 */

    /* ECMAScript Number::toString layout. */
    if (nd <= exp10 && exp10 <= 21) {
        buf_append(out, digits, (size_t)nd);
        for (int i = nd; i < exp10; i++) buf_putc(out, '0');
    } else if (0 < exp10 && exp10 <= 21) {
        buf_append(out, digits, (size_t)exp10);
        buf_putc(out, '.');
        buf_append(out, digits + exp10, (size_t)(nd - exp10));
    } else if (-6 < exp10 && exp10 <= 0) {
        buf_puts(out, "0.");
        for (int i = exp10; i < 0; i++) buf_putc(out, '0');
        buf_append(out, digits, (size_t)nd);
    } else {
        buf_putc(out, digits[0]);
        if (nd > 1) {
            buf_putc(out, '.');
            buf_append(out, digits + 1, (size_t)(nd - 1));
        }
        buf_printf(out, "e%c%d", exp10 - 1 < 0 ? '-' : '+', abs(exp10 - 1));
    }
}

/* ---- context ---------------------------------------------------------------------- */

/* cJSON's type tests are out-of-line library calls; these are what the hot paths use. */
#define TYPE(v) ((v)->type & 0xFF)
#define IS_OBJECT(v) (TYPE(v) == cJSON_Object)
#define IS_ARRAY(v) (TYPE(v) == cJSON_Array)
#define IS_STRING(v) (TYPE(v) == cJSON_String)
#define IS_NUMBER(v) (TYPE(v) == cJSON_Number)

static void ctx_push(rstate *st, const cJSON *v)
{
    if (st->nctx == st->capctx) {   /* first growth leaves the inline array */
        size_t cap = st->capctx * 2;
        const cJSON **n = xmalloc(cap * sizeof *n);
        memcpy(n, st->ctx, st->nctx * sizeof *n);
        if (st->ctx != st->ctx_inline) free(st->ctx);
        st->ctx = n;
        st->capctx = cap;
    }
    st->ctx[st->nctx++] = v;
}

/* cJSON_GetObjectItemCaseSensitive with the first byte compared inline: most keys of
 * an object differ there, and this lookup is the renderer's hottest loop. */
static const cJSON *child(const cJSON *v, const char *key)
{
    if (IS_OBJECT(v)) {
        for (const cJSON *c = v->child; c; c = c->next) {
            const char *a = c->string, *b = key;
            if (!a || *a != *b) continue;
            while (*a && *a == *b) a++, b++;
            if (*a == *b) return c;
        }
        return NULL;
    }
    if (IS_ARRAY(v) && key[0] >= '0' && key[0] <= '9') {   /* rows.0.title */
        char *end;
        unsigned long i = strtoul(key, &end, 10);
        if (*end || i > (unsigned long)INT32_MAX) return NULL;
        return cJSON_GetArrayItem(v, (int)i);
    }
    return NULL;
}

/* Spec name resolution: the first segment is searched down the context stack, the
 * others only inside what it found. */
static const cJSON *lookup(const rstate *st, const mst_template *t, const mst_node *nd)
{
    if (nd->nseg == 0) return st->nctx ? st->ctx[st->nctx - 1] : NULL;
    const char *seg = t->text + nd->off + nd->len + 1;
    const cJSON *v = NULL;
    for (size_t i = st->nctx; i-- > 0;) {
        v = child(st->ctx[i], seg);
        if (v) break;
    }
    for (unsigned k = 1; v && k < nd->nseg; k++) {
        seg += strlen(seg) + 1;
        v = child(v, seg);
    }
    return v;
}

/* JavaScript truthiness, as the spec words it (!!data): false, null, "", 0 and missing
 * are falsey; so is an empty list. An empty object is truthy. */
static bool truthy(const cJSON *v)
{
    if (!v) return false;
    switch (v->type & 0xFF) {
    case cJSON_False: case cJSON_NULL: case cJSON_Invalid: return false;
    case cJSON_String: return v->valuestring && v->valuestring[0];
    case cJSON_Number: return v->valuedouble != 0 && !isnan(v->valuedouble);
    case cJSON_Array: return v->child != NULL;
    default: return true;
    }
}

/* ---- output ----------------------------------------------------------------------- */

static void put_indent(rstate *st)
{
    st->bol = false;
    size_t n = st->ind.len - st->ioff;
    if (n) put(st->out, st->ind.data + st->ioff, n);
}

static void put_text(rstate *st, const char *s, size_t n, bool has_nl)
{
    if (!n) return;
    if (st->ind.len == st->ioff) {      /* no indentation: the common, fast case */
        put(st->out, s, n);
        st->bol = s[n - 1] == '\n';
        return;
    }
    if (!has_nl) {                      /* one piece of a line */
        if (st->bol) put_indent(st);
        put(st->out, s, n);
        return;
    }
    const char *end = s + n;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl + 1 : end;
        if (st->bol && *s != '\n') put_indent(st);
        put(st->out, s, (size_t)(e - s));
        st->bol = nl != NULL;
        s = e;
    }
}

static void put_value(rstate *st, const cJSON *v, bool escape)
{
    if (!v) return;
    if (IS_STRING(v) && v->valuestring) {
        if (escape) esc_html(st->out, v->valuestring, strlen(v->valuestring));
        else put(st->out, v->valuestring, strlen(v->valuestring));
    } else if (IS_NUMBER(v)) {
        mst_format_number(st->out, v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        buf_puts(st->out, cJSON_IsTrue(v) ? "true" : "false");
    }
    /* null, lists and objects print nothing */
}

/* Switches to a new indentation: the current one plus extra (keep = true), or extra
 * alone. Returns the state to hand back to indent_pop. */
typedef struct { size_t len, off; } ind_mark;

static ind_mark indent_push(rstate *st, bool keep, const char *extra, size_t n)
{
    ind_mark m = {st->ind.len, st->ioff};
    if (n == 0) {                   /* the usual case: nothing to copy */
        if (!keep) st->ioff = st->ind.len;
        return m;
    }
    size_t cur = keep ? st->ind.len - st->ioff : 0;
    buf_grow(&st->ind, cur + n);
    memcpy(st->ind.data + st->ind.len, st->ind.data + st->ioff, cur);
    memcpy(st->ind.data + st->ind.len + cur, extra, n);
    st->ioff = st->ind.len;
    st->ind.len += cur + n;
    return m;
}

static void indent_pop(rstate *st, ind_mark m)
{
    st->ind.len = m.len;
    st->ioff = m.off;
}

/* ---- walking ---------------------------------------------------------------------- */

static void render_range(rstate *st, const mst_template *t, uint32_t from, uint32_t to,
                         const scope *sc);

/* The name a partial or parent tag refers to; NULL when a dynamic name finds nothing. */
static const char *target_name(rstate *st, const mst_template *t, const mst_node *nd, buf *tmp)
{
    if (!(nd->flags & MST_F_DYNAMIC)) return t->text + nd->off;
    const cJSON *v = lookup(st, t, nd);
    if (cJSON_IsString(v)) return v->valuestring;
    if (cJSON_IsNumber(v) || cJSON_IsBool(v)) {
        put_value(&(rstate){.out = tmp}, v, false);
        return buf_cstr(tmp);
    }
    return NULL;
}

static const mst_template *resolve(rstate *st, const mst_template *t, const mst_node *nd,
                                   const char *name)
{
    const mst_template *found = NULL;
    buf msg = BUF_INIT;
    uint32_t h = (nd->flags & MST_F_DYNAMIC) ? mst_hash(name) : nd->hash;
    int rc = mst_loader_get(st->ld, name, h, &found, &msg);
    if (rc > 0 && mst_loader_strict(st->ld)) {
        rfail(st, t, nd, "%s", buf_cstr(&msg));
    } else if (rc < 0 && !st->failed) {
        /* The message already names the partial's own file:line:col. */
        st->failed = true;
        buf_printf(st->err, "%s (included from %s:%u:%u)", buf_cstr(&msg), t->name, nd->line,
                   nd->col);
    }
    buf_free(&msg);
    return rc == 0 ? found : NULL;
}

/* {{>name}} and {{<name}}...{{/name}}: render another template in place. */
static void render_include(rstate *st, const mst_template *t, uint32_t i, const scope *sc)
{
    const mst_node *nd = &t->nodes[i];
    bool standalone = nd->flags & MST_F_STANDALONE;
    if (st->bol && !standalone) put_indent(st);
    buf tmp = BUF_INIT;
    const char *name = target_name(st, t, nd, &tmp);
    /* Without a loader every partial is missing, which renders as nothing. */
    const mst_template *inc = name && st->ld ? resolve(st, t, nd, name) : NULL;
    if (inc) {
        if (st->pdepth >= MST_MAX_DEPTH) {
            rfail(st, t, nd,
                  "partials nested deeper than %d levels (endless recursion through '%s'?)",
                  MST_MAX_DEPTH, name);
        } else {
            /* A standalone tag's indentation goes before every line of the partial; an
             * inline one gives the partial no indentation at all. */
            ind_mark m = indent_push(st, standalone, t->text + nd->ind_off, nd->ind_len);
            scope inner = {t, i, sc};
            st->pdepth++;
            render_range(st, inc, 0, inc->n, nd->kind == MST_PARENT ? &inner : sc);
            st->pdepth--;
            indent_pop(st, m);
        }
    }
    buf_free(&tmp);
}

/* The replacement for block `name` passed by the outermost parent call that has one. */
static const scope *find_override(const scope *sc, const char *name, uint32_t hash,
                                  uint32_t *node)
{
    const scope *found = NULL;
    for (; sc; sc = sc->outer) {
        const mst_node *p = &sc->t->nodes[sc->node];
        for (uint32_t j = sc->node + 1; j < p->end;) {
            const mst_node *c = &sc->t->nodes[j];
            if (c->kind == MST_BLOCK && c->hash == hash && strcmp(sc->t->text + c->off, name) == 0) {
                found = sc;
                *node = j;
                break;
            }
            j = (c->kind >= MST_SECTION && c->kind != MST_PARTIAL) ? c->end : j + 1;
        }
    }
    return found;
}

static void render_block(rstate *st, const mst_template *t, uint32_t i, const scope *sc)
{
    const mst_node *nd = &t->nodes[i];
    if (st->bol && !(nd->flags & MST_F_STANDALONE)) put_indent(st);
    ind_mark m = indent_push(st, true, t->text + nd->ind_off, nd->ind_len);
    uint32_t ov;
    const scope *by = find_override(sc, t->text + nd->off, nd->hash, &ov);
    if (by)
        render_range(st, by->t, ov + 1, by->t->nodes[ov].end, by->outer);
    else
        render_range(st, t, i + 1, nd->end, sc);
    indent_pop(st, m);
}

static void render_section(rstate *st, const mst_template *t, uint32_t i, const scope *sc)
{
    const mst_node *nd = &t->nodes[i];
    if (st->bol && !(nd->flags & MST_F_STANDALONE)) put_indent(st);
    const cJSON *v = lookup(st, t, nd);
    if (nd->kind == MST_INVERTED) {
        if (!truthy(v)) render_range(st, t, i + 1, nd->end, sc);
        return;
    }
    if (!truthy(v)) return;
    if (IS_ARRAY(v)) {
        for (const cJSON *it = v->child; it && !st->failed; it = it->next) {
            if (++st->steps > st->max_steps) {
                rfail(st, t, nd, "render stopped after %zu steps (step limit)", st->max_steps);
                return;
            }
            ctx_push(st, it);
            render_range(st, t, i + 1, nd->end, sc);
            st->nctx--;
        }
    } else {
        ctx_push(st, v);
        render_range(st, t, i + 1, nd->end, sc);
        st->nctx--;
    }
}

static void render_range(rstate *st, const mst_template *t, uint32_t from, uint32_t to,
                         const scope *sc)
{
    if (st->nest >= MST_MAX_NEST) {
        rfail(st, t, &t->nodes[from ? from - 1 : 0],
              "template nesting deeper than %d levels while rendering", MST_MAX_NEST);
        return;
    }
    st->nest++;
    for (uint32_t i = from; i < to && !st->failed;) {
        const mst_node *nd = &t->nodes[i];
        if (++st->steps > st->max_steps) {
            rfail(st, t, nd, "render stopped after %zu steps (step limit)", st->max_steps);
            break;
        }
        switch (nd->kind) {
        case MST_TEXT:
            put_text(st, t->text + nd->off, nd->len, nd->flags & MST_F_NEWLINE);
            i++;
            break;
        case MST_VAR:
        case MST_RAW:
            if (st->bol) put_indent(st);
            put_value(st, lookup(st, t, nd), nd->kind == MST_VAR);
            i++;
            break;
        case MST_SECTION:
        case MST_INVERTED:
            render_section(st, t, i, sc);
            i = nd->end;
            break;
        case MST_PARTIAL:
            render_include(st, t, i, sc);
            i++;
            break;
        case MST_PARENT:
            render_include(st, t, i, sc);
            i = nd->end;
            break;
        case MST_BLOCK:
            render_block(st, t, i, sc);
            i = nd->end;
            break;
        default:
            i++;
        }
    }
    st->nest--;
}

int mst_render(const mst_template *t, const cJSON *data, mst_loader *ld, buf *out, buf *err)
{
    rstate st = {0};
    st.ld = ld;
    st.out = out;
    st.err = err;
    st.bol = true;
    st.max_steps = ld && mst_loader_step_limit(ld) ? mst_loader_step_limit(ld) : SIZE_MAX;
    buf_init(&st.ind);
    st.ctx = st.ctx_inline;
    st.capctx = sizeof st.ctx_inline / sizeof st.ctx_inline[0];
    cJSON empty = {0};
    empty.type = cJSON_Object;
    ctx_push(&st, data ? data : &empty);
    render_range(&st, t, 0, t->n, NULL);
    if (st.ctx != st.ctx_inline) free(st.ctx);
    buf_free(&st.ind);
    return st.failed ? -1 : 0;
}
