/* Slugs: the path segments made from names in the data (genres, docs), unique and bounded;
 * and the one number format C writes for pages (thousands separators). */
#include <stdio.h>
#include <string.h>

#include "core/digest.h"
#include "core/log.h"
#include "site/build_internal.h"
#include "site/sqljson.h"

void site_slug(buf *out, const char *s)
{
    int dash = 0;
    size_t start = out->len;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && out->len > start) buf_putc(out, '-');
            buf_putc(out, (char)c);
            dash = 0;
        } else {
            dash = 1;
        }
    }
    if (out->len == start) buf_puts(out, "x");
}

/* The plain slug cut to SITE_SLUG_MAX; *plain says whether it is the whole, non-empty slug. */
static void S_base(buf *out, const char *name, bool *plain)
{
    site_slug(out, name);
    *plain = strcmp(buf_cstr(out), "x") != 0 || strcmp(name, "x") == 0 || strcmp(name, "X") == 0;
    if (out->len > SITE_SLUG_MAX) {
        out->len = SITE_SLUG_MAX;
        while (out->len && out->data[out->len - 1] == '-') out->len--;
        out->data[out->len] = '\0';
        *plain = false;
    }
}

static void S_suffix(buf *out, const char *name)
{
    char hex[65];
    digest_sha256_hex(name, strlen(name), hex);
    buf_printf(out, "-%.8s", hex);
}

int site_genre_slugs_load(site_build_state *b)
{
    cJSON *names = sqljson_rows(b->ctx, "listing genre names",
                                "SELECT DISTINCT g AS name FROM \"ProcessedAnime\" a, unnest(a.genres) g"
                                " WHERE g IS NOT NULL ORDER BY 1", 0, NULL);
    if (!names) return -1;
    cJSON *bases = cJSON_CreateObject(), *map = cJSON_CreateObject();
    buf s = BUF_INIT;
    const cJSON *row;
    /* how many names share each plain slug */
    cJSON_ArrayForEach(row, names) {
        const char *name = cJSON_GetObjectItem(row, "name")->valuestring;
        bool plain;
        buf_reset(&s);
        S_base(&s, name, &plain);
        cJSON *n = cJSON_GetObjectItem(bases, buf_cstr(&s));
        if (n) cJSON_SetNumberValue(n, n->valuedouble + 1);
        else cJSON_AddNumberToObject(bases, buf_cstr(&s), 1);
    }
    cJSON_ArrayForEach(row, names) {
        const char *name = cJSON_GetObjectItem(row, "name")->valuestring;
        bool plain;
        buf_reset(&s);
        S_base(&s, name, &plain);
        if (!plain || cJSON_GetObjectItem(bases, buf_cstr(&s))->valuedouble > 1) S_suffix(&s, name);
        cJSON_AddStringToObject(map, name, buf_cstr(&s));
    }
    buf_free(&s);
    cJSON_Delete(bases);
    cJSON_Delete(names);
    b->genre_slugs = map;
    return 0;
}

void site_genre_slug(const site_build_state *b, const char *name, buf *out)
{
    const cJSON *slug = cJSON_GetObjectItemCaseSensitive(b->genre_slugs, name);
    if (cJSON_IsString(slug)) {
        buf_puts(out, slug->valuestring);
        return;
    }
    /* a genre that appeared after the map was loaded: its own hashed slug, never a collision */
    bool plain;
    S_base(out, name, &plain);
    S_suffix(out, name);
}

void site_format_int(buf *out, long long v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
    if (v < 0) buf_putc(out, '-');
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) buf_putc(out, ',');
        buf_putc(out, digits[i]);
    }
}
