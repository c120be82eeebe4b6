#include "etl/transform.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "db/copy.h"

typedef enum {
    K_INT,          /* a JSON number with an integral value below 2e9 */
    K_SCORE,        /* a JSON number, written with two decimals */
    K_TEXT,         /* a JSON string of at most max_len bytes */
    K_NAMES,        /* [{"name": ...}] -> TEXT[]: at most 64 names of at most max_len bytes */
    K_SEASON,       /* one of the four seasons, else NULL: it becomes part of page paths */
    K_IMAGE,        /* images.jpg.image_url when it is https://, else NULL */
    K_RAW,          /* the whole record as JSON */
} kind;

/* The staging columns in order: after "page" and "position" comes one per entry. */
static const struct {
    const char *column;
    const char *key;
    kind kind;
    size_t max_len;
} COLUMNS[] = {
    {"malId", "mal_id", K_INT, 0},
    {"title", "title", K_TEXT, 500},
    {"titleEnglish", "title_english", K_TEXT, 500},
    {"genres", "genres", K_NAMES, 100},
    {"score", "score", K_SCORE, 0},
    {"scoredBy", "scored_by", K_INT, 0},
    {"rank", "rank", K_INT, 0},
    {"popularity", "popularity", K_INT, 0},
    {"members", "members", K_INT, 0},
    {"favorites", "favorites", K_INT, 0},
    {"episodes", "episodes", K_INT, 0},
    {"status", "status", K_TEXT, 100},
    {"season", "season", K_SEASON, 0},
    {"year", "year", K_INT, 0},
    {"rating", "rating", K_TEXT, 100},
    {"studios", "studios", K_NAMES, 200},
    {"imageUrl", "images", K_IMAGE, 2048},
    {"synopsis", "synopsis", K_TEXT, 20000},
    {"rawJson", NULL, K_RAW, 0},
};
#define NCOLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])
#define MAX_NAMES 64

void transform_columns(buf *out)
{
    buf_puts(out, "\"page\", \"position\"");
    for (size_t i = 0; i < NCOLUMNS; i++) buf_printf(out, ", \"%s\"", COLUMNS[i].column);
}

static bool S_text_ok(const char *s, size_t max_len)
{
    size_t n = strlen(s);
    return n <= max_len && text_utf8_valid(s, n);
}

static bool S_int_ok(const cJSON *v)
{
    return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 2e9;
}

/* "https://" and nothing that could end an attribute or hide a scheme. */
static bool S_image_ok(const char *url)
{
    if (strncasecmp(url, "https://", 8) != 0 || !url[8]) return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == '"' || *p == '\'' || *p == '<' || *p == '>' || *p == '\\' || *p >= 0x7F) return false;
    return true;
}

static const cJSON *S_image_url(const cJSON *item)
{
    const cJSON *jpg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "images"), "jpg");
    return cJSON_GetObjectItemCaseSensitive(jpg, "image_url");
}

/* Why the record cannot be loaded (static text), or NULL when it can. */
static const char *S_reject_reason(const cJSON *item)
{
    if (!cJSON_IsObject(item)) return "a record that is not an object";
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "mal_id");
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(item, "title");
    if (!S_int_ok(id) || id->valuedouble < 1) return "mal_id missing or not a positive integer";
    if (!cJSON_IsString(title) || !title->valuestring[0]) return "title missing or empty";
    for (size_t i = 0; i < NCOLUMNS; i++) {
        const cJSON *v = COLUMNS[i].key ? cJSON_GetObjectItemCaseSensitive(item, COLUMNS[i].key) : NULL;
        if (!v || cJSON_IsNull(v)) continue;
        switch (COLUMNS[i].kind) {
        case K_INT: if (!S_int_ok(v)) return "an integer field of another type"; break;
        case K_SCORE: if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return "score not a number"; break;
        case K_TEXT:
        case K_SEASON:
            if (!cJSON_IsString(v)) return "a text field of another type";
            if (!S_text_ok(v->valuestring, COLUMNS[i].max_len ? COLUMNS[i].max_len : 100))
                return "a text field too long or not UTF-8";
            break;
        case K_NAMES: {
            if (!cJSON_IsArray(v)) return "genres or studios not a list";
            if (cJSON_GetArraySize(v) > MAX_NAMES) return "more than 64 genres or studios";
            const cJSON *it, *name;
            cJSON_ArrayForEach(it, v) {
                name = cJSON_GetObjectItemCaseSensitive(it, "name");
                if (cJSON_IsString(name) && !S_text_ok(name->valuestring, COLUMNS[i].max_len))
                    return "a genre or studio name too long or not UTF-8";
            }
            break;
        }
        case K_IMAGE: {
            const cJSON *url = S_image_url(item);
            if (cJSON_IsString(url) && strlen(url->valuestring) > COLUMNS[i].max_len) return "image URL too long";
            break;
        }
        case K_RAW: break;
        }
    }
    return NULL;
}

/* Appends column i of an accepted record. */
static void S_put(buf *b, size_t i, const cJSON *item)
{
    const cJSON *v = COLUMNS[i].key ? cJSON_GetObjectItemCaseSensitive(item, COLUMNS[i].key) : NULL;
    switch (COLUMNS[i].kind) {
    case K_INT:
        if (S_int_ok(v)) copy_int(b, (long long)v->valuedouble);
        else copy_null(b);
        break;
    case K_SCORE:
        /* NUMERIC(3,2) holds 0..9.99: a larger value is loaded as is and fails the gate */
        if (cJSON_IsNumber(v) && fabs(v->valuedouble) < 1e6) buf_printf(b, "%.2f", v->valuedouble);
        else copy_null(b);
        break;
    case K_TEXT: copy_text(b, cJSON_IsString(v) ? v->valuestring : NULL); break;
    case K_NAMES: {
        const char *names[MAX_NAMES];
        size_t n = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, v) {   /* elements without a string name (null, ...) are skipped */
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");
            if (cJSON_IsString(name) && name->valuestring[0] && n < MAX_NAMES) names[n++] = name->valuestring;
        }
        copy_text_array(b, names, n);
        break;
    }
    case K_SEASON: {
        static const char *const SEASONS[] = {"winter", "spring", "summer", "fall"};
        const char *s = NULL;
        for (int k = 0; cJSON_IsString(v) && k < 4; k++)
            if (strcmp(v->valuestring, SEASONS[k]) == 0) s = SEASONS[k];
        copy_text(b, s);
        break;
    }
    case K_IMAGE: {
        const cJSON *url = S_image_url(item);
        copy_text(b, cJSON_IsString(url) && S_image_ok(url->valuestring) ? url->valuestring : NULL);
        break;
    }
    case K_RAW: {
        char *raw = cJSON_PrintUnformatted(item);
        copy_text(b, raw);
        cJSON_free(raw);
        break;
    }
    }
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
    int records = cJSON_GetArraySize(data);
    if (records > TRANSFORM_MAX_RECORDS) {
        buf_printf(err, "page %d: %d records, more than the %d a page may hold", page, records, TRANSFORM_MAX_RECORDS);
        cJSON_Delete(doc);
        return -1;
    }
    const cJSON *pagination = cJSON_GetObjectItemCaseSensitive(doc, "pagination");
    st->has_next_page = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pagination, "has_next_page"));
    const cJSON *item;
    cJSON_ArrayForEach(item, data) {
        st->records++;
        const char *why = S_reject_reason(item);
        if (why) {
            if (!st->first_reject) st->first_reject = why;
            st->rejected++;
            continue;
        }
        st->accepted++;
        copy_int(rows, page);
        buf_putc(rows, '\t');
        copy_int(rows, st->records);
        for (size_t i = 0; i < NCOLUMNS; i++) {
            buf_putc(rows, '\t');
            S_put(rows, i, item);
        }
        buf_putc(rows, '\n');
    }
    cJSON_Delete(doc);
    return 0;
}
