#include "etl/transform.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db/copy.h"

static void put_string(buf *b, const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    copy_text(b, cJSON_IsString(v) ? v->valuestring : NULL);
}

/* Integers: a JSON number with an integral value that fits; anything else is NULL
 * (the raw JSON keeps the original for the type expectations). */
static void put_int(buf *b, const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 2e9)
        copy_int(b, (long long)v->valuedouble);
    else
        copy_null(b);
}

static void put_score(buf *b, const cJSON *obj)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "score");
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && fabs(v->valuedouble) < 1e6)
        buf_printf(b, "%.2f", v->valuedouble);
    else
        copy_null(b);
}

/* [{"name": ...}, ...] -> TEXT[] of the names. */
static void put_names(buf *b, const cJSON *obj, const char *key)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, key);
    const char *names[64];
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");
        if (cJSON_IsString(name) && n < sizeof names / sizeof names[0]) names[n++] = name->valuestring;
    }
    copy_text_array(b, names, n);
}

/* Only the four seasons Jikan defines: the value ends up in page paths (seasons/2024-spring/). */
static void put_season(buf *b, const cJSON *obj)
{
    static const char *const SEASONS[] = {"winter", "spring", "summer", "fall"};
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "season");
    const char *s = NULL;
    for (int i = 0; cJSON_IsString(v) && i < 4; i++)
        if (strcmp(v->valuestring, SEASONS[i]) == 0) s = SEASONS[i];
    copy_text(b, s);
}

static void put_image(buf *b, const cJSON *obj)
{
    const cJSON *images = cJSON_GetObjectItemCaseSensitive(obj, "images");
    const cJSON *jpg = cJSON_GetObjectItemCaseSensitive(images, "jpg");
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(jpg, "image_url");
    copy_text(b, cJSON_IsString(url) ? url->valuestring : NULL);
}

static bool acceptable(const cJSON *item)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "mal_id");
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(item, "title");
    return cJSON_IsNumber(id) && id->valuedouble >= 1 && id->valuedouble < 2e9 &&
           id->valuedouble == floor(id->valuedouble) && cJSON_IsString(title) && title->valuestring[0];
}

int transform_page(const char *json, size_t len, int page, buf *rows, transform_stats *st, buf *err)
{
    memset(st, 0, sizeof *st);
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!doc) {
        size_t at = end ? (size_t)(end - json) : 0;
        buf_printf(err, "page %d: malformed JSON near byte %zu of %zu", page, at, len);
        return -1;
    }
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    if (!cJSON_IsArray(data)) {
        buf_printf(err, "page %d: no \"data\" array in the response", page);
        cJSON_Delete(doc);
        return -1;
    }
    const cJSON *pagination = cJSON_GetObjectItemCaseSensitive(doc, "pagination");
    st->has_next_page = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pagination, "has_next_page"));
    int position = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, data) {
        st->records++;
        position++;
        if (!cJSON_IsObject(item) || !acceptable(item)) {
            st->rejected++;
            continue;
        }
        st->accepted++;
        copy_int(rows, page); buf_putc(rows, '\t');
        copy_int(rows, position); buf_putc(rows, '\t');
        put_int(rows, item, "mal_id"); buf_putc(rows, '\t');
        put_string(rows, item, "title"); buf_putc(rows, '\t');
        put_string(rows, item, "title_english"); buf_putc(rows, '\t');
        put_names(rows, item, "genres"); buf_putc(rows, '\t');
        put_score(rows, item); buf_putc(rows, '\t');
        put_int(rows, item, "scored_by"); buf_putc(rows, '\t');
        put_int(rows, item, "rank"); buf_putc(rows, '\t');
        put_int(rows, item, "popularity"); buf_putc(rows, '\t');
        put_int(rows, item, "members"); buf_putc(rows, '\t');
        put_int(rows, item, "favorites"); buf_putc(rows, '\t');
        put_int(rows, item, "episodes"); buf_putc(rows, '\t');
        put_string(rows, item, "status"); buf_putc(rows, '\t');
        put_season(rows, item); buf_putc(rows, '\t');
        put_int(rows, item, "year"); buf_putc(rows, '\t');
        put_string(rows, item, "rating"); buf_putc(rows, '\t');
        put_names(rows, item, "studios"); buf_putc(rows, '\t');
        put_image(rows, item); buf_putc(rows, '\t');
        put_string(rows, item, "synopsis"); buf_putc(rows, '\t');
        char *raw = cJSON_PrintUnformatted(item);
        copy_text(rows, raw);
        cJSON_free(raw);
        buf_putc(rows, '\n');
    }
    cJSON_Delete(doc);
    return 0;
}
