/* Mustache compiler: source text -> flat node array (see mst_internal.h).
 *
 * The source is read one line at a time, a "line" ending at a newline outside any tag.
 * A line holding only whitespace and non-interpolating tags is standalone: its
 * indentation and line ending disappear, and the indentation is remembered by the
 * partial, parent or block tag on it. Delimiter changes apply as soon as they are read. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "render/mst_internal.h"

typedef struct {
    char type;          /* 0 for text, else the tag sigil; 'v' for a plain {{name}} */
    size_t start, end;  /* the whole item in the source */
    size_t cstart, cend;/* tag content, trimmed */
    uint32_t line, col;
} item;

typedef struct {
    uint32_t node;
    uint32_t line_idx;      /* parser line counter when opened */
    bool standalone;        /* the opening tag's line was standalone */
    size_t cstart, cend;    /* the opening tag's content, to match the close */
    size_t d_off, d_len;    /* block: indentation of the first content line (source) */
} open_tag;

typedef struct {
    const char *src;
    size_t len;
    const char *name;
    buf *err;
    bool failed;

    const char *otag, *ctag;    /* current delimiters (point into src or literals) */
    size_t olen, clen;

    mst_node *nodes;
    uint32_t n, cap;
    buf text;
    bool merge_ok;              /* the last node is text that new text may extend */

    open_tag open[MST_MAX_DEPTH];
    int depth;

    item *items;                /* the current line */
    size_t nitems, icap;
    uint32_t line_idx;

    size_t lc_pos;              /* line/column bookkeeping: positions only move forward */
    uint32_t lc_line;
    size_t lc_line_start;
} parser;

/* Offsets are 32-bit; block reindentation may copy text up to MST_MAX_DEPTH times. */
#define MST_MAX_SOURCE (16 << 20)

static bool is_ws(char c) { return c == ' ' || c == '\t'; }

static void linecol(parser *p, size_t pos, uint32_t *line, uint32_t *col)
{
    for (; p->lc_pos < pos; p->lc_pos++) {
        if (p->src[p->lc_pos] == '\n') {
            p->lc_line++;
            p->lc_line_start = p->lc_pos + 1;
        }
    }
    *line = p->lc_line;
    *col = (uint32_t)(pos - p->lc_line_start + 1);
}

static void fail_at(parser *p, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_at(parser *p, uint32_t line, uint32_t col, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = true;
    buf_printf(p->err, "%s:%u:%u: ", p->name, line, col);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(p->err, fmt, ap);
    va_end(ap);
}

static mst_node *new_node(parser *p, int kind, const item *it)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        mst_node *nn = xrealloc(p->nodes, p->cap * sizeof *nn);
        p->nodes = nn;
    }
    mst_node *nd = &p->nodes[p->n++];
    memset(nd, 0, sizeof *nd);
    nd->kind = (uint8_t)kind;
    if (it) {
        nd->line = it->line;
        nd->col = it->col;
    }
    p->merge_ok = false;
    return nd;
}

static uint32_t text_put(parser *p, const char *s, size_t n)
{
    uint32_t off = (uint32_t)p->text.len;
    buf_append(&p->text, s, n);
    return off;
}

static void add_text(parser *p, size_t start, size_t end)
{
    if (end <= start) return;
    if (p->merge_ok) {
        mst_node *last = &p->nodes[p->n - 1];
        if (last->off + last->len == p->text.len) {
            buf_append(&p->text, p->src + start, end - start);
            last->len += (uint32_t)(end - start);
            return;
        }
    }
    mst_node *nd = new_node(p, MST_TEXT, NULL);
    nd->off = text_put(p, p->src + start, end - start);
    nd->len = (uint32_t)(end - start);
    if (start == 0 || p->src[start - 1] == '\n') nd->flags |= MST_F_BOL;
    p->merge_ok = true;
}

/* Stores the tag name and, when dotted, its segments. Returns false on a bad name. */
static bool set_name(parser *p, mst_node *nd, const char *s, size_t n, bool dotted)
{
    nd->off = text_put(p, s, n);
    nd->len = (uint32_t)n;
    buf_putc(&p->text, '\0');
    nd->nseg = 0;
    if (!dotted || (n == 1 && s[0] == '.')) return true;
    size_t segstart = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') continue;
        if (i == segstart) return false;    /* empty segment: "a..b", ".a", "a." */
        buf_append(&p->text, s + segstart, i - segstart);
        buf_putc(&p->text, '\0');
        if (nd->nseg == UINT16_MAX) return false;
        nd->nseg++;
        segstart = i + 1;
    }
    return true;
}

static bool has_ws(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_ws(s[i]) || s[i] == '\n' || s[i] == '\r') return true;
    return false;
}

/* Removes from each line start inside the text node up to the whole of prefix d. */
static void strip_text(parser *p, mst_node *nd, const char *d, size_t dlen)
{
    buf_grow(&p->text, nd->len);    /* so the pointers below stay valid */
    const char *s = p->text.data + nd->off;
    size_t n = nd->len;
    char *dst = p->text.data + p->text.len;
    size_t out = 0;
    bool bol = nd->flags & MST_F_BOL;
    for (size_t i = 0; i < n;) {
        if (bol) {
            size_t k = 0;
            while (k < dlen && i + k < n && s[i + k] == d[k]) k++;
            i += k;
            bol = false;
            continue;
        }
        dst[out++] = s[i];
        if (s[i++] == '\n') bol = true;
    }
    if (out == n) return;
    nd->off = (uint32_t)p->text.len;
    nd->len = (uint32_t)out;
    p->text.len += out;
    p->text.data[p->text.len] = '\0';
}

/* A block whose content starts on its own line keeps that content's indentation apart:
 * it is removed here from every line and handed back as the block's indentation, so
 * whatever fills the block at render time is indented to match. Blocks already handled
 * this way are skipped, their own indentation adjusted. */
static void reindent_block(parser *p, uint32_t bi, const char *d, size_t dlen)
{
    mst_node *b = &p->nodes[bi];
    b->ind_off = text_put(p, d, dlen);
    b->ind_len = (uint32_t)dlen;
    b->flags |= MST_F_REINDENT;
    for (uint32_t i = bi + 1; i < b->end;) {
        mst_node *nd = &p->nodes[i];
        if (nd->ind_len) {
            size_t k = 0;
            const char *ind = p->text.data + nd->ind_off;
            while (k < dlen && k < nd->ind_len && ind[k] == d[k]) k++;
            nd->ind_off += (uint32_t)k;
            nd->ind_len -= (uint32_t)k;
        }
        if (nd->kind == MST_TEXT) strip_text(p, nd, d, dlen);
        if (nd->kind == MST_BLOCK && (nd->flags & MST_F_REINDENT)) {
            i = nd->end;
            continue;
        }
        i++;
    }
}

static const char *kind_word(int kind)
{
    switch (kind) {
    case MST_PARENT: return "parent";
    case MST_BLOCK: return "block";
    case MST_INVERTED: return "inverted section";
    default: return "section";
    }
}

static void open_push(parser *p, const item *it, bool standalone, size_t line_end)
{
    if (p->depth == MST_MAX_DEPTH) {
        fail_at(p, it->line, it->col, "sections nested deeper than %d levels", MST_MAX_DEPTH);
        return;
    }
    open_tag *o = &p->open[p->depth++];
    o->node = p->n - 1;
    o->line_idx = p->line_idx;
    o->standalone = standalone;
    o->cstart = it->cstart;
    o->cend = it->cend;
    o->d_off = line_end;
    o->d_len = 0;
    while (line_end + o->d_len < p->len && is_ws(p->src[line_end + o->d_len])) o->d_len++;
}

static void close_tag(parser *p, const item *it, bool standalone, bool *keep_nl,
                      size_t ind_start, size_t ind_len)
{
    const char *s = p->src + it->cstart;
    size_t n = it->cend - it->cstart;
    if (p->depth == 0) {
        fail_at(p, it->line, it->col, "unexpected closing tag %.*s/%.*s%.*s (no section is open)",
                (int)p->olen, p->otag, (int)n, s, (int)p->clen, p->ctag);
        return;
    }
    open_tag *o = &p->open[p->depth - 1];
    mst_node *nd = &p->nodes[o->node];
    size_t on = o->cend - o->cstart;
    if (on != n || memcmp(p->src + o->cstart, s, n) != 0) {
        fail_at(p, it->line, it->col,
                "mismatched closing tag %.*s/%.*s%.*s (expected %.*s/%.*s%.*s to close the %s opened at %u:%u)",
                (int)p->olen, p->otag, (int)n, s, (int)p->clen, p->ctag,
                (int)p->olen, p->otag, (int)on, p->src + o->cstart, (int)p->clen, p->ctag,
                kind_word(nd->kind), nd->line, nd->col);
        return;
    }
    p->depth--;
    nd->end = p->n;
    p->merge_ok = false;
    if (nd->kind != MST_BLOCK || !o->standalone) return;
    if (standalone && o->line_idx == p->line_idx) {
        /* {{$b}}{{/b}} alone on a line: whatever fills it takes the line's indentation,
         * and the line keeps its ending. */
        nd->ind_off = text_put(p, p->src + ind_start, ind_len);
        nd->ind_len = (uint32_t)ind_len;
        *keep_nl = true;
    } else {
        reindent_block(p, o->node, p->src + o->d_off, o->d_len);
    }
}

static void add_tag(parser *p, const item *it, bool standalone, size_t ind_start,
                    size_t ind_len, size_t line_end, bool *keep_nl)
{
    const char *s = p->src + it->cstart;
    size_t n = it->cend - it->cstart;
    int kind;
    switch (it->type) {
    case '!':
    case '=':
        return;
    case '/':
        close_tag(p, it, standalone, keep_nl, ind_start, ind_len);
        return;
    case 'v': kind = MST_VAR; break;
    case '&': case '{': kind = MST_RAW; break;
    case '#': kind = MST_SECTION; break;
    case '^': kind = MST_INVERTED; break;
    case '>': kind = MST_PARTIAL; break;
    case '<': kind = MST_PARENT; break;
    default: kind = MST_BLOCK; break;     /* '$' */
    }
    mst_node *nd = new_node(p, kind, it);
    if (standalone) nd->flags |= MST_F_STANDALONE;
    bool dotted = kind != MST_BLOCK;
    if (kind == MST_PARTIAL || kind == MST_PARENT) {
        dotted = false;
        if (n && s[0] == '*') {
            nd->flags |= MST_F_DYNAMIC;
            dotted = true;
            s++, n--;
            while (n && is_ws(*s)) s++, n--;
        }
        if (standalone && ind_len) {
            nd->ind_off = text_put(p, p->src + ind_start, ind_len);
            nd->ind_len = (uint32_t)ind_len;
        }
    }
    if (n == 0) {
        fail_at(p, it->line, it->col, "empty tag name");
        return;
    }
    if (has_ws(s, n)) {
        fail_at(p, it->line, it->col, "tag name '%.*s' contains whitespace", (int)n, s);
        return;
    }
    if (!set_name(p, nd, s, n, dotted)) {
        fail_at(p, it->line, it->col, "bad name '%.*s' (dotted names need a key between dots)",
                (int)n, s);
        return;
    }
    if (kind >= MST_PARTIAL) nd->hash = mst_hash(p->text.data + nd->off);
    if (kind == MST_SECTION || kind == MST_INVERTED || kind == MST_PARENT || kind == MST_BLOCK)
        open_push(p, it, standalone, line_end);
}

static void push_item(parser *p, const item *it)
{
    if (p->nitems == p->icap) {
        p->icap = p->icap ? p->icap * 2 : 16;
        item *ni = xrealloc(p->items, p->icap * sizeof *ni);
        p->items = ni;
    }
    p->items[p->nitems++] = *it;
}

static bool ws_only(const char *s, size_t n)
{
    if (n && s[n - 1] == '\n') n--;
    if (n && s[n - 1] == '\r') n--;
    for (size_t i = 0; i < n; i++)
        if (!is_ws(s[i])) return false;
    return true;
}

/* Emits the buffered line; line_end is where the next line starts. */
static void finish_line(parser *p, size_t line_end)
{
    bool has_tag = false, standalone = true;
    for (size_t i = 0; i < p->nitems && standalone; i++) {
        const item *it = &p->items[i];
        if (it->type == 0)
            standalone = ws_only(p->src + it->start, it->end - it->start);
        else if (it->type == 'v' || it->type == '&' || it->type == '{')
            standalone = false;
        else
            has_tag = true;
    }
    standalone = standalone && has_tag;

    if (!standalone) {
        for (size_t i = 0; i < p->nitems && !p->failed; i++) {
            const item *it = &p->items[i];
            if (it->type == 0) add_text(p, it->start, it->end);
            else add_tag(p, it, false, 0, 0, line_end, NULL);
        }
    } else {
        size_t ind_start = 0, ind_len = 0;
        if (p->items[0].type == 0) {
            ind_start = p->items[0].start;
            ind_len = p->items[0].end - p->items[0].start;
        }
        bool keep_nl = false;
        for (size_t i = 0; i < p->nitems && !p->failed; i++)
            if (p->items[i].type != 0)
                add_tag(p, &p->items[i], true, ind_start, ind_len, line_end, &keep_nl);
        const item *last = &p->items[p->nitems - 1];
        if (keep_nl && last->type == 0 && !p->failed) {
            size_t e = last->end, b = e;
            if (b > last->start && p->src[b - 1] == '\n') b--;
            if (b > last->start && p->src[b - 1] == '\r') b--;
            add_text(p, b, e);
        }
    }
    p->nitems = 0;
    p->line_idx++;
}

static size_t find(const parser *p, size_t from, size_t to, const char *needle, size_t nlen)
{
    if (to < from || to - from < nlen) return (size_t)-1;
    const char *f = memmem(p->src + from, to - from, needle, nlen);
    return f ? (size_t)(f - p->src) : (size_t)-1;
}

/* Finds `c` immediately followed by the closing delimiter ("}}}" / "=}}" forms). */
static size_t find_with(const parser *p, size_t from, char c)
{
    for (size_t at = from;;) {
        size_t f = find(p, at, p->len, p->ctag, p->clen);
        if (f == (size_t)-1) return f;
        if (f > from && p->src[f - 1] == c) return f - 1;
        at = f + 1;
    }
}

static void set_delims(parser *p, const item *it)
{
    const char *s = p->src + it->cstart;
    size_t n = it->cend - it->cstart, a = 0;
    while (a < n && !has_ws(s + a, 1)) a++;
    size_t b = a;
    while (b < n && has_ws(s + b, 1)) b++;
    if (a == 0 || b == a || b == n || has_ws(s + b, n - b)) {
        fail_at(p, it->line, it->col,
                "bad delimiter tag (expected %.*s=OPEN CLOSE=%.*s with two delimiters without spaces)",
                (int)p->olen, p->otag, (int)p->clen, p->ctag);
        return;
    }
    p->otag = s;
    p->olen = a;
    p->ctag = s + b;
    p->clen = n - b;
}

/* Parses the tag whose opening delimiter is at pos; returns the position after it. */
static size_t scan_tag(parser *p, size_t pos)
{
    item it = {0};
    it.start = pos;
    linecol(p, pos, &it.line, &it.col);
    size_t q = pos + p->olen;
    char c = q < p->len ? p->src[q] : 0;
    it.type = (c && strchr("#^/!><$=&{", c)) ? c : 'v';
    if (it.type != 'v') q++;
    size_t close;
    if (it.type == '{' || it.type == '=')
        close = find_with(p, q, it.type == '{' ? '}' : '=');
    else
        close = find(p, q, p->len, p->ctag, p->clen);
    if (close == (size_t)-1) {
        fail_at(p, it.line, it.col, "unclosed tag (expected %s%.*s)",
                it.type == '{' ? "}" : it.type == '=' ? "=" : "", (int)p->clen, p->ctag);
        return p->len;
    }
    it.end = close + p->clen + ((it.type == '{' || it.type == '=') ? 1 : 0);
    it.cstart = q;
    it.cend = close;
    while (it.cstart < it.cend && has_ws(p->src + it.cstart, 1)) it.cstart++;
    while (it.cend > it.cstart && has_ws(p->src + it.cend - 1, 1)) it.cend--;
    push_item(p, &it);
    if (it.type == '=') set_delims(p, &it);
    return it.end;
}

static void parse_template(parser *p)
{
    size_t pos = 0;
    do {
        for (;;) {
            const char *nl = memchr(p->src + pos, '\n', p->len - pos);
            size_t line_end = nl ? (size_t)(nl - p->src) + 1 : p->len;
            size_t t = find(p, pos, line_end, p->otag, p->olen);
            if (t == (size_t)-1) {
                if (line_end > pos) push_item(p, &(item){.start = pos, .end = line_end});
                pos = line_end;
                break;
            }
            if (t > pos) push_item(p, &(item){.start = pos, .end = t});
            pos = scan_tag(p, t);
            if (p->failed) return;
        }
        if (p->nitems) finish_line(p, pos);
    } while (pos < p->len && !p->failed);
    if (!p->failed && p->depth > 0) {
        open_tag *o = &p->open[p->depth - 1];
        const mst_node *nd = &p->nodes[o->node];
        fail_at(p, nd->line, nd->col, "unclosed %s '%.*s' (expected %.*s/%.*s%.*s)",
                kind_word(nd->kind), (int)(o->cend - o->cstart), p->src + o->cstart,
                (int)p->olen, p->otag, (int)(o->cend - o->cstart), p->src + o->cstart,
                (int)p->clen, p->ctag);
    }
}

mst_template *mst_compile(const char *src, size_t len, const char *name, buf *err)
{
    parser p = {0};
    p.src = src ? src : "";
    p.len = src ? len : 0;
    p.name = name ? name : "<template>";
    p.err = err;
    p.otag = "{{", p.olen = 2;
    p.ctag = "}}", p.clen = 2;
    p.lc_line = 1;
    buf_init(&p.text);
    if (p.len > MST_MAX_SOURCE) {
        fail_at(&p, 1, 1, "template too large (%zu bytes, at most %d)", p.len, MST_MAX_SOURCE);
    } else {
        parse_template(&p);
    }
    free(p.items);
    if (p.failed) {
        free(p.nodes);
        buf_free(&p.text);
        return NULL;
    }
    for (uint32_t i = 0; i < p.n; i++)
        if (p.nodes[i].kind == MST_TEXT && memchr(p.text.data + p.nodes[i].off, '\n', p.nodes[i].len))
            p.nodes[i].flags |= MST_F_NEWLINE;
    mst_template *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(p.name);
    t->nodes = p.nodes;
    t->n = p.n;
    t->text_len = p.text.len;
    t->text = buf_detach(&p.text);
    return t;
}

void mst_free(mst_template *t)
{
    if (!t) return;
    free(t->name);
    free(t->nodes);
    free(t->text);
    free(t);
}
