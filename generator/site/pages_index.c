/* The all-anime index (anime/index.html, anime/page/N/index.html) and the static search
 * index the search box reads (search/KEY.json).
 *
 * Each title and English title becomes a phrase: its words (runs of ASCII letters and digits
 * and of non-ASCII characters), lower-cased (ASCII only, as the script does), joined by one
 * space. The search index is a tree of the prefixes of every phrase's word-starting tails
 * ("sword of kings": "sword of kings", "of kings", "kings"). For a prefix, the anime with a
 * tail starting with it are either few enough (SEARCH_COMPLETE, their titles SEARCH_BYTES) to
 * be listed all in one file, or its file lists only the first SEARCH_TOP by rank, says
 * "more", and names the next characters, each with a file of its own (none past
 * SEARCH_KEY_MAX bytes). search/index.json names the first characters.
 * Typing one more character costs at most one small file, and a query fetches at most one
 * complete file plus the short ones on its way; typing more words keeps narrowing. File
 * names are the prefix's UTF-8 bytes in hex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "site/build_internal.h"
#include "site/jsonout.h"
#include "site/sqljson.h"

#define SEARCH_COMPLETE 1000  /* a prefix with at most this many anime lists them all */
#define SEARCH_BYTES 150000   /* ... when their titles take about this many bytes at most */
#define SEARCH_TOP 40         /* else its file lists this many, best ranked first, */
#define SEARCH_TOP_BYTES 4000 /* ... or as many as fit in about this many bytes */
#define SEARCH_KEY_MAX 32     /* a prefix this long has no children: the path a query walks and
                               * the file names stay short */

typedef struct {
    const char *s;      /* a tail of a phrase, NUL-terminated */
    unsigned anime;     /* index in rank order */
} tail_ref;

typedef struct {
    site_build_state *b;
    const cJSON **anime;  /* in rank order */
    buf out, name;
} search_index;

/* Bytes of the UTF-8 sequence starting at s (1 for a stray byte; 0 at the end). */
static size_t utf8_len(const unsigned char *s)
{
    if (!*s) return 0;
    size_t n = *s < 0x80 ? 1 : *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return i;
    return n;
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Appends the phrase of s to out, NUL-terminated; false (nothing appended) when s has no word. */
static bool put_phrase(buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    bool any = false;
    while (*p) {
        while (*p && !word_byte(*p)) p++;
        if (!*p) break;
        if (any) buf_putc(out, ' ');
        any = true;
        while (*p && word_byte(*p)) {
            unsigned char c = *p++;
            buf_putc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
        }
    }
    if (any) buf_putc(out, '\0');
    return any;
}

static size_t g_depth;   /* the byte the sort of one node's refs looks at */

/* By the character at g_depth (the end first), then anime, then tail. */
static int cmp_next(const void *a, const void *b)
{
    const tail_ref *x = a, *y = b;
    const unsigned char *p = (const unsigned char *)x->s + g_depth, *q = (const unsigned char *)y->s + g_depth;
    size_t lp = utf8_len(p), lq = utf8_len(q);
    int c = memcmp(p, q, lp < lq ? lp : lq);
    if (c) return c;
    if (lp != lq) return lp < lq ? -1 : 1;
    return x->anime < y->anime ? -1 : x->anime > y->anime;
}

/* The bytes of s as a JSON string (jsonout_string escapes '<' and controls as \u00XX). */
static size_t json_bytes(const char *s)
{
    size_t n = 2;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += *p == '<' || *p < 0x20 ? 6 : *p == '"' || *p == '\\' ? 2 : 1;
    return n;
}

/* The bytes of an anime's entry, about (the id at most 12). */
static size_t entry_bytes(const cJSON *a)
{
    const cJSON *en = cJSON_GetObjectItem(a, "titleEnglish");
    return 16 + json_bytes(cJSON_GetObjectItem(a, "title")->valuestring) + (cJSON_IsString(en) ? json_bytes(en->valuestring) : 0);
}

static void put_entry(search_index *s, unsigned idx, bool first)
{
    const cJSON *a = s->anime[idx];
    if (!first) buf_putc(&s->out, ',');
    buf_printf(&s->out, "[%d,", cJSON_GetObjectItem(a, "malId")->valueint);
    jsonout_string(&s->out, cJSON_GetObjectItem(a, "title")->valuestring);
    const cJSON *en = cJSON_GetObjectItem(a, "titleEnglish");
    if (cJSON_IsString(en)) {
        buf_putc(&s->out, ',');
        jsonout_string(&s->out, en->valuestring);
    }
    buf_putc(&s->out, ']');
}

/* The file of the prefix of `depth` bytes shared by refs[0..n) (sorted by anime), and of its
 * children when it has more. depth 0 is the root, search/index.json. */
static int write_node(search_index *s, tail_ref *refs, size_t n, size_t depth)
{
    size_t distinct = 0, bytes = 0;
    for (size_t j = 0; j < n; j++)
        if (j == 0 || refs[j].anime != refs[j - 1].anime) {
            distinct++;
            if (distinct <= SEARCH_COMPLETE) bytes += entry_bytes(s->anime[refs[j].anime]);
        }
    bool complete = depth > 0 && distinct <= SEARCH_COMPLETE && bytes <= SEARCH_BYTES;
    bool leaf = complete || depth >= SEARCH_KEY_MAX;   /* no children: a long prefix stops here */
    buf_reset(&s->out);
    buf_puts(&s->out, "{\"a\":[");
    size_t shown = 0;
    for (size_t j = 0; depth > 0 && j < n && (complete || (shown < SEARCH_TOP && s->out.len < SEARCH_TOP_BYTES)); j++)
        if (j == 0 || refs[j].anime != refs[j - 1].anime) put_entry(s, refs[j].anime, shown++ == 0);
    buf_puts(&s->out, "]");
    size_t from = 0;   /* the refs that go on: those whose tail is longer than the prefix */
    if (!complete && leaf) buf_puts(&s->out, ",\"more\":true,\"next\":[]");
    if (!leaf) {
        g_depth = depth;
        qsort(refs, n, sizeof *refs, cmp_next);
        while (from < n && refs[from].s[depth] == '\0') from++;
        buf_puts(&s->out, ",\"more\":true,\"next\":[");
        buf ch = BUF_INIT;
        for (size_t j = from; j < n;) {
            size_t len = utf8_len((const unsigned char *)refs[j].s + depth), e = j + 1;
            while (e < n && memcmp(refs[e].s + depth, refs[j].s + depth, len) == 0 &&
                   utf8_len((const unsigned char *)refs[e].s + depth) == len) e++;
            buf_reset(&ch);
            buf_append(&ch, refs[j].s + depth, len);
            if (j != from) buf_putc(&s->out, ',');
            jsonout_string(&s->out, buf_cstr(&ch));
            j = e;
        }
        buf_free(&ch);
        buf_puts(&s->out, "]");
    }
    buf_puts(&s->out, "}\n");
    buf_reset(&s->name);
    buf_puts(&s->name, "search/");
    if (depth == 0) buf_puts(&s->name, "index");
    for (size_t k = 0; k < depth; k++) buf_printf(&s->name, "%02x", (unsigned char)refs[0].s[k]);
    buf_puts(&s->name, ".json");
    int rc = writer_put(s->b->w, buf_cstr(&s->name), s->out.data, s->out.len);
    /* each child: the refs with the same next character (still sorted by anime) */
    for (size_t j = from; rc == 0 && !leaf && j < n;) {
        size_t len = utf8_len((const unsigned char *)refs[j].s + depth), e = j + 1;
        while (e < n && memcmp(refs[e].s + depth, refs[j].s + depth, len) == 0 &&
               utf8_len((const unsigned char *)refs[e].s + depth) == len) e++;
        rc = write_node(s, refs + j, e - j, depth + len);
        j = e;
    }
    return rc;
}

static int write_search_index(site_build_state *b, const cJSON *list)
{
    int n = cJSON_GetArraySize(list);
    search_index s = {.b = b, .out = BUF_INIT, .name = BUF_INIT};
    s.anime = xcalloc((size_t)(n ? n : 1), sizeof *s.anime);
    buf *phrases = xcalloc((size_t)(n ? n : 1), sizeof *phrases);
    size_t cap = 0;
    int k = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, list) {
        s.anime[k] = a;
        const char *title = cJSON_GetObjectItem(a, "title")->valuestring;
        bool any = put_phrase(&phrases[k], title);
        const cJSON *en = cJSON_GetObjectItem(a, "titleEnglish");
        if (cJSON_IsString(en)) any = put_phrase(&phrases[k], en->valuestring) || any;
        if (!any) {   /* a title of punctuation only: found by its first character */
            size_t l = utf8_len((const unsigned char *)title);
            if (l) buf_append(&phrases[k], title, l);
            else buf_putc(&phrases[k], '?');
            buf_putc(&phrases[k], '\0');
        }
        cap += phrases[k].len;
        k++;
    }
    /* one ref per word start */
    tail_ref *refs = xcalloc(cap ? cap : 1, sizeof *refs);
    size_t nrefs = 0;
    for (int i = 0; i < n; i++)
        for (size_t off = 0; off < phrases[i].len; off++)
            if (off == 0 || phrases[i].data[off - 1] == ' ' || phrases[i].data[off - 1] == '\0')
                if (phrases[i].data[off]) refs[nrefs++] = (tail_ref){phrases[i].data + off, (unsigned)i};
    int rc = write_node(&s, refs, nrefs, 0);
    for (int i = 0; i < n; i++) buf_free(&phrases[i]);
    free(phrases);
    free(refs);
    free(s.anime);
    buf_free(&s.out);
    buf_free(&s.name);
    return rc;
}

void site_page_path(buf *out, const char *dir, int page)
{
    if (page <= 1) buf_printf(out, "%s/index.html", dir);
    else buf_printf(out, "%s/page/%d/index.html", dir, page);
}

void site_pagination(cJSON *doc, const char *dir, int page, int pages)
{
    if (pages <= 1) return;
    buf href = BUF_INIT;
    cJSON_AddTrueToObject(doc, "paginated");
    cJSON *pl = cJSON_AddArrayToObject(doc, "pagination");
    for (int q = 1; q <= pages; q++) {
        cJSON *l = cJSON_CreateObject();
        char label[16];
        snprintf(label, sizeof label, "%d", q);
        buf_reset(&href);
        site_page_path(&href, dir, q);
        cJSON_AddStringToObject(l, "href", buf_cstr(&href));
        cJSON_AddStringToObject(l, "label", label);
        if (q == page) cJSON_AddTrueToObject(l, "current");
        cJSON_AddItemToArray(pl, l);
    }
    if (page > 1) {
        buf_reset(&href);
        site_page_path(&href, dir, page - 1);
        cJSON_AddStringToObject(doc, "prev", buf_cstr(&href));
    }
    if (page < pages) {
        buf_reset(&href);
        site_page_path(&href, dir, page + 1);
        cJSON_AddStringToObject(doc, "next", buf_cstr(&href));
    }
    buf_free(&href);
}

int pages_anime_index(site_build_state *b)
{
    cJSON *list = sqljson_rows(b->ctx, "listing every anime",
        "SELECT a.\"malId\", a.title, a.\"titleEnglish\", a.rank FROM \"ProcessedAnime\" a"
        " ORDER BY a.rank NULLS LAST, a.title COLLATE \"C\", a.\"malId\"", 0, NULL);
    if (!list) return -1;
    int n = cJSON_GetArraySize(list);
    int pages = n ? (n + SITE_PER_PAGE - 1) / SITE_PER_PAGE : 1;
    int rc = 0;
    cJSON *item = list->child;
    for (int p = 1; rc == 0 && p <= pages; p++) {
        char path[64], href[64];
        if (p == 1) snprintf(path, sizeof path, "anime/index.html");
        else snprintf(path, sizeof path, "anime/page/%d/index.html", p);
        cJSON *doc = cJSON_CreateObject();
        char heading[64];
        if (p == 1) snprintf(heading, sizeof heading, "All anime");
        else snprintf(heading, sizeof heading, "All anime, page %d of %d", p, pages);
        cJSON_AddStringToObject(doc, "heading", heading);
        cJSON_AddNumberToObject(doc, "total", n);
        cJSON_AddNumberToObject(doc, "start", (p - 1) * SITE_PER_PAGE + 1);
        cJSON *rows = cJSON_AddArrayToObject(doc, "anime");
        for (int i = 0; item && i < SITE_PER_PAGE; i++, item = item->next) {
            cJSON *r = cJSON_CreateObject();
            snprintf(href, sizeof href, "anime/%d/index.html", cJSON_GetObjectItem(item, "malId")->valueint);
            cJSON_AddStringToObject(r, "href", href);
            cJSON_AddStringToObject(r, "title", cJSON_GetObjectItem(item, "title")->valuestring);
            const cJSON *en = cJSON_GetObjectItem(item, "titleEnglish");
            if (cJSON_IsString(en) && strcmp(en->valuestring, cJSON_GetObjectItem(item, "title")->valuestring) != 0)
                cJSON_AddStringToObject(r, "english", en->valuestring);
            const cJSON *rank = cJSON_GetObjectItem(item, "rank");
            if (cJSON_IsNumber(rank)) {
                buf f = BUF_INIT;
                site_format_int(&f, (long long)rank->valuedouble);
                cJSON_AddStringToObject(r, "rank", buf_cstr(&f));
                buf_free(&f);
            }
            cJSON_AddItemToArray(rows, r);
        }
        site_pagination(doc, "anime", p, pages);
        rc = site_page(b, path, "pages/anime-index", doc, "");
    }
    if (rc == 0) rc = write_search_index(b, list);
    cJSON_Delete(list);
    return rc;
}
