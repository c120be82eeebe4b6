/* The API's description and its reference page. api/openapi.json is the OpenAPI document
 * kept in content/api/openapi.json, with what only the build knows filled in: catlog's
 * version, the site's address and one entry per trending metric (analytics/trending.c
 * declares them; nothing else lists them). docs/api/index.html is rendered from it through
 * pages/api: each document with its URL and a real example (the first file of its path in
 * this build, trimmed), then each shape with its fields. It runs after every other page is
 * written, so the examples are there to read. */
#include <errno.h>
#include <string.h>

#include "analytics/trending.h"
#include "core/file.h"
#include "core/log.h"
#include "core/text.h"
#include "core/version.h"
#include "render/markdown.h"
#include "site/build_internal.h"
#include "site/jsonout.h"

#define DESCRIPTION_SOURCE "api/openapi.json"   /* in the content layers */
#define DESCRIPTION_PATH "api/openapi.json"     /* in the site */
#define SCHEMA_REF "#/components/schemas/"
#define EXAMPLE_ITEMS 2    /* items an example keeps of each array */
#define EXAMPLE_TEXT 96    /* bytes an example keeps of each text */

/* The OpenAPI document of the first content layer holding one; NULL after printing why. */
static cJSON *load_description(site_build_state *b)
{
    buf path = BUF_INIT, text = BUF_INIT;
    cJSON *doc = NULL;
    if (!site_layers_find(&b->opt->content, DESCRIPTION_SOURCE, &path))
        log_error("%s is missing from the content directories (it is part of catlog's data: reinstall, or set "
                  "CATLOG_DATA_DIR)", DESCRIPTION_SOURCE);
    else if (file_read_all(buf_cstr(&path), &text) != 0)
        log_error("cannot read %s: %s", buf_cstr(&path), strerror(errno));
    else if (!(doc = cJSON_ParseWithLength(text.data ? text.data : "", text.len)) || !cJSON_IsObject(doc)) {
        log_error("%s is not a JSON object", buf_cstr(&path));
        cJSON_Delete(doc);
        doc = NULL;
    }
    buf_free(&path);
    buf_free(&text);
    return doc;
}

static cJSON *schema_named(const cJSON *doc, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "components"), "schemas"), name);
}

static void set_text(cJSON *o, const char *key, const char *value)
{
    if (!cJSON_IsObject(o)) return;
    if (cJSON_GetObjectItemCaseSensitive(o, key)) cJSON_ReplaceItemInObjectCaseSensitive(o, key, cJSON_CreateString(value));
    else cJSON_AddStringToObject(o, key, value);
}

/* A required property of an object schema (dropped when the schema is missing). */
static void add_property(cJSON *schema, const char *name, cJSON *property)
{
    if (!cJSON_IsObject(schema)) {
        cJSON_Delete(property);
        return;
    }
    cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    if (!props) props = cJSON_AddObjectToObject(schema, "properties");
    cJSON_AddItemToObject(props, name, property);
    cJSON *required = cJSON_GetObjectItemCaseSensitive(schema, "required");
    if (!required) required = cJSON_AddArrayToObject(schema, "required");
    cJSON_AddItemToArray(required, cJSON_CreateString(name));
}

/* One list per trending metric in TrendingNow, one entry in TrendingAvailability, and the
 * metrics' keys as the values of MetricKey. */
static void describe_metrics(cJSON *doc)
{
    cJSON *keys = cJSON_CreateArray();
    buf about = BUF_INIT;
    const trending_metric *tm;
    for (size_t i = 0; (tm = trending_metric_at(i)) != NULL; i++) {
        buf_reset(&about);
        buf_printf(&about, "%s: %s", tm->title, tm->explain);
        cJSON *list = cJSON_CreateObject();
        cJSON_AddStringToObject(list, "type", "array");
        cJSON_AddStringToObject(list, "description", buf_cstr(&about));
        cJSON_AddStringToObject(cJSON_AddObjectToObject(list, "items"), "$ref", SCHEMA_REF "TrendingItem");
        add_property(schema_named(doc, "TrendingNow"), tm->key, list);
        cJSON *ready = cJSON_CreateObject();
        cJSON_AddStringToObject(ready, "$ref", SCHEMA_REF "Availability");
        cJSON_AddStringToObject(ready, "description", tm->title);
        add_property(schema_named(doc, "TrendingAvailability"), tm->key, ready);
        cJSON_AddItemToArray(keys, cJSON_CreateString(tm->key));
    }
    buf_free(&about);
    cJSON *key = schema_named(doc, "MetricKey");
    if (cJSON_IsObject(key)) cJSON_AddItemToObject(key, "enum", keys);
    else cJSON_Delete(keys);
}

/* What the source leaves to the build: the version, the site's address, the metrics. */
static void fill_build_facts(site_build_state *b, cJSON *doc)
{
    set_text(cJSON_GetObjectItemCaseSensitive(doc, "info"), "version", version_string());
    set_text(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "servers"), 0), "url", b->site_url);
    describe_metrics(doc);
}

/* ---- the reference page */

/* The value a local $ref ("#/components/schemas/Cell") names; NULL when there is none. */
static const cJSON *follow_ref(const cJSON *doc, const char *ref)
{
    if (strncmp(ref, "#/", 2) != 0) return NULL;
    const cJSON *at = doc;
    buf key = BUF_INIT;
    for (const char *p = ref + 2; at && *p;) {
        const char *end = strchr(p, '/');
        if (!end) end = p + strlen(p);
        buf_reset(&key);
        buf_append(&key, p, (size_t)(end - p));
        at = cJSON_GetObjectItemCaseSensitive(at, buf_cstr(&key));
        p = *end ? end + 1 : end;
    }
    buf_free(&key);
    return at;
}

/* The schema itself, or the one its $ref names. */
static const cJSON *resolved(const cJSON *doc, const cJSON *schema)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    const cJSON *target = cJSON_IsString(ref) ? follow_ref(doc, ref->valuestring) : NULL;
    return target ? target : schema;
}

/* Its own description, else that of the schema it refers to. */
static const char *description_of(const cJSON *doc, const cJSON *schema)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(schema, "description");
    if (!cJSON_IsString(d)) d = cJSON_GetObjectItemCaseSensitive(resolved(doc, schema), "description");
    return cJSON_IsString(d) ? d->valuestring : NULL;
}

/* A part is {text, ref: false} or {ref}: ref is always there, so a template's {{#ref}} never
 * reaches an enclosing part's. */
static void add_part(cJSON *parts, const char *key, const char *text)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, key, text);
    if (strcmp(key, "ref") != 0) cJSON_AddFalseToObject(p, "ref");
    cJSON_AddItemToArray(parts, p);
}

/* A schema's type as the reference reads it, in parts [{text} or {ref: shape name}]:
 * "array of " Cell; "string (date) or null"; "string: one of "week", "month"". */
static void type_parts(cJSON *parts, const cJSON *schema)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    if (cJSON_IsString(ref)) {
        const char *slash = strrchr(ref->valuestring, '/');
        add_part(parts, "ref", slash ? slash + 1 : ref->valuestring);
        return;
    }
    const cJSON *alternatives = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    if (!alternatives) alternatives = cJSON_GetObjectItemCaseSensitive(schema, "oneOf");
    if (alternatives) {
        for (const cJSON *a = alternatives->child; a; a = a->next) {
            if (a != alternatives->child) add_part(parts, "text", " or ");
            type_parts(parts, a);
        }
        return;
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    int n = cJSON_IsArray(type) ? cJSON_GetArraySize(type) : 1;
    buf text = BUF_INIT;
    for (int i = 0; i < n; i++) {
        const cJSON *t = cJSON_IsArray(type) ? cJSON_GetArrayItem(type, i) : type;
        const char *name = cJSON_IsString(t) ? t->valuestring : "any value";
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
        if (i) add_part(parts, "text", " or ");
        if (strcmp(name, "array") == 0) {
            add_part(parts, "text", "array of ");
            type_parts(parts, cJSON_GetObjectItemCaseSensitive(schema, "items"));
        } else if (strcmp(name, "object") == 0 && cJSON_IsObject(values) &&
                   !cJSON_GetObjectItemCaseSensitive(schema, "properties")) {
            add_part(parts, "text", "object of ");
            type_parts(parts, values);
        } else {
            const cJSON *format = cJSON_GetObjectItemCaseSensitive(schema, "format");
            buf_reset(&text);
            buf_puts(&text, name);
            if (cJSON_IsString(format) && strcmp(name, "null") != 0) buf_printf(&text, " (%s)", format->valuestring);
            add_part(parts, "text", buf_cstr(&text));
        }
    }
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    const cJSON *constant = cJSON_GetObjectItemCaseSensitive(schema, "const");
    buf_reset(&text);
    for (const cJSON *v = values ? values->child : NULL; v; v = v->next) {
        buf_puts(&text, v == values->child ? ": one of " : ", ");
        jsonout_write(&text, v);
    }
    if (constant) {
        buf_puts(&text, ": always ");
        jsonout_write(&text, constant);
    }
    if (text.len) add_part(parts, "text", buf_cstr(&text));
    buf_free(&text);
}

static bool listed(const cJSON *names, const char *name)
{
    const cJSON *n;
    cJSON_ArrayForEach(n, names) {
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return true;
    }
    return false;
}

static void add_field(cJSON *fields, const cJSON *doc, const char *name, const cJSON *schema, bool required)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "name", name);
    type_parts(cJSON_AddArrayToObject(f, "type"), schema);
    cJSON_AddBoolToObject(f, "required", required);
    const char *about = description_of(doc, schema);
    if (about) cJSON_AddStringToObject(f, "description", about);
    cJSON_AddItemToArray(fields, f);
}

/* The rows of a shape's field table: each property, then any other name the object allows;
 * an inline object's properties follow it as parent.child. */
static void add_fields(cJSON *fields, const cJSON *doc, const cJSON *schema, const char *prefix)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *required = cJSON_GetObjectItemCaseSensitive(schema, "required");
    const cJSON *others = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    buf name = BUF_INIT;
    for (const cJSON *p = props ? props->child : NULL; p; p = p->next) {
        buf_reset(&name);
        buf_printf(&name, "%s%s", prefix, p->string);
        add_field(fields, doc, buf_cstr(&name), p, listed(required, p->string));
        if (cJSON_GetObjectItemCaseSensitive(p, "properties")) {
            buf_putc(&name, '.');
            add_fields(fields, doc, p, buf_cstr(&name));
        }
    }
    if (props && cJSON_IsObject(others)) {
        buf_reset(&name);
        buf_printf(&name, "%s(any other name)", prefix);
        add_field(fields, doc, buf_cstr(&name), others, false);
    }
    buf_free(&name);
}

/* {shape (its name), description, type (when not an object with fields), also (shapes it
 * extends), fields} */
static cJSON *shape_view(const cJSON *doc, const char *name, const cJSON *schema)
{
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "shape", name);
    const char *about = description_of(doc, schema);
    if (about) cJSON_AddStringToObject(v, "description", about);
    cJSON *fields = cJSON_AddArrayToObject(v, "fields");
    if (cJSON_GetObjectItemCaseSensitive(schema, "properties")) add_fields(fields, doc, schema, "");
    else type_parts(cJSON_AddArrayToObject(v, "type"), schema);
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(schema, "allOf");
    if (base) {
        cJSON *also = cJSON_AddArrayToObject(v, "also");
        for (const cJSON *s = base->child; s; s = s->next) {
            cJSON *o = cJSON_CreateObject();
            type_parts(cJSON_AddArrayToObject(o, "type"), s);
            cJSON_AddItemToArray(also, o);
        }
    }
    return v;
}

/* The first file of the build, by name, that a path template names ("/api/anime/{malId}.json"
 * names api/anime/1.json); a template has at most one parameter. NULL when none does. */
static const char *first_file_of(const site_writer *w, const char *template)
{
    const char *t = template[0] == '/' ? template + 1 : template;
    const char *open = strchr(t, '{'), *close = open ? strchr(open, '}') : NULL;
    size_t before = open ? (size_t)(open - t) : strlen(t);
    const char *after = close ? close + 1 : "";
    size_t after_len = strlen(after);
    const char *first = NULL, *p;
    for (size_t i = 0; (p = writer_path_at(w, i)) != NULL; i++) {
        size_t n = strlen(p);
        bool named = open ? n > before + after_len && strncmp(p, t, before) == 0 && strcmp(p + n - after_len, after) == 0 &&
                                !memchr(p + before, '/', n - before - after_len)
                          : strcmp(p, t) == 0;
        if (named && (!first || strcmp(p, first) < 0)) first = p;
    }
    return first;
}

/* Keeps the first EXAMPLE_ITEMS items of each array and about EXAMPLE_TEXT bytes of each text. */
static void trim_example(cJSON *v)
{
    size_t len = cJSON_IsString(v) ? strlen(v->valuestring) : 0;
    if (len > EXAMPLE_TEXT) {
        buf cut = BUF_INIT;
        buf_append(&cut, v->valuestring, text_utf8_cut(v->valuestring, len, EXAMPLE_TEXT));
        buf_puts(&cut, "…");
        cJSON_SetValuestring(v, buf_cstr(&cut));
        buf_free(&cut);
    }
    /* from the end: each step is O(1), where deleting item EXAMPLE_ITEMS walks the list */
    for (int n = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0; n > EXAMPLE_ITEMS; n--)
        cJSON_Delete(cJSON_DetachItemViaPointer(v, v->child->prev));
    for (cJSON *c = v->child; c; c = c->next) trim_example(c);
}

/* The file as an example: read back, trimmed, indented. */
static int example_of(site_build_state *b, const char *file, buf *out)
{
    buf text = BUF_INIT;
    int rc = writer_read(b->w, file, &text);
    cJSON *v = rc == 0 ? cJSON_ParseWithLength(text.data ? text.data : "", text.len) : NULL;
    if (rc == 0 && !v) {
        log_error("%s, written by this build, is not JSON", file);
        rc = -1;
    }
    if (v) {
        trim_example(v);
        jsonout_pretty(out, v);
    }
    cJSON_Delete(v);
    buf_free(&text);
    return rc;
}

static void copy_text(cJSON *to, const char *key, const cJSON *from)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    if (cJSON_IsString(v)) cJSON_AddStringToObject(to, key, v->valuestring);
}

/* {path, anchor, summary, description, type (its shape), parameters, href, example} of one path; NULL
 * when its example cannot be read. The description itself gets no example. */
static cJSON *document_view(site_build_state *b, const cJSON *doc, const cJSON *item)
{
    const cJSON *get = cJSON_GetObjectItemCaseSensitive(item, "get");
    cJSON *v = cJSON_CreateObject();
    buf text = BUF_INIT;
    cJSON_AddStringToObject(v, "path", item->string);
    site_slug(&text, item->string);
    cJSON_AddStringToObject(v, "anchor", buf_cstr(&text));
    copy_text(v, "summary", get);
    copy_text(v, "description", get);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(get, "responses"), "200"), "content"),
            "application/json"),
        "schema");
    type_parts(cJSON_AddArrayToObject(v, "type"), schema);
    cJSON *params = cJSON_AddArrayToObject(v, "parameters");
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(get, "parameters")) {
        const cJSON *param = resolved(doc, p);
        cJSON *pv = cJSON_CreateObject();
        copy_text(pv, "name", param);
        copy_text(pv, "description", param);
        type_parts(cJSON_AddArrayToObject(pv, "type"), cJSON_GetObjectItemCaseSensitive(param, "schema"));
        cJSON_AddItemToArray(params, pv);
    }
    const char *file = first_file_of(b->w, item->string);
    int rc = 0;
    if (file && strcmp(file, DESCRIPTION_PATH) != 0) {
        buf_reset(&text);
        rc = example_of(b, file, &text);
        cJSON_AddStringToObject(v, "href", file);
        cJSON_AddStringToObject(v, "example", buf_cstr(&text));
    } else if (file) {
        cJSON_AddStringToObject(v, "href", file);
    }
    buf_free(&text);
    if (rc == 0) return v;
    cJSON_Delete(v);
    return NULL;
}

/* The page's document: the API's title, version and description (Markdown), its documents
 * and its shapes; NULL after printing an error. */
static cJSON *reference_page(site_build_state *b, const cJSON *doc)
{
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(doc, "info");
    cJSON *page = cJSON_CreateObject();
    copy_text(page, "title", info);
    copy_text(page, "summary", info);
    copy_text(page, "version", info);
    cJSON_AddStringToObject(page, "openapi", DESCRIPTION_PATH);
    const cJSON *intro = cJSON_GetObjectItemCaseSensitive(info, "description");
    if (cJSON_IsString(intro)) {
        buf html = BUF_INIT;
        md_render(intro->valuestring, strlen(intro->valuestring), &html, NULL);
        cJSON_AddStringToObject(page, "intro", buf_cstr(&html));
        buf_free(&html);
    }
    cJSON *documents = cJSON_AddArrayToObject(page, "documents");
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc, "paths")) {
        cJSON *v = document_view(b, doc, item);
        if (!v) {
            cJSON_Delete(page);
            return NULL;
        }
        cJSON_AddItemToArray(documents, v);
    }
    cJSON *shapes = cJSON_AddArrayToObject(page, "shapes");
    const cJSON *schema;
    cJSON_ArrayForEach(schema, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "components"), "schemas"))
        cJSON_AddItemToArray(shapes, shape_view(doc, schema->string, schema));
    return page;
}

int pages_api(site_build_state *b)
{
    cJSON *doc = load_description(b);
    if (!doc) return -1;
    fill_build_facts(b, doc);
    int rc = site_write_json(b, DESCRIPTION_PATH, doc);
    cJSON *page = rc == 0 ? reference_page(b, doc) : NULL;
    cJSON_Delete(doc);
    if (!page) return -1;
    return site_page(b, SITE_API_REFERENCE, "pages/api", page, "");
}
