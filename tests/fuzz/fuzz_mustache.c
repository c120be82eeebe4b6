/* libFuzzer target for render/mustache: compile + render with in-memory partials.
 * Input: TEMPLATE, optionally followed by a NUL byte and JSON data. When the data has a
 * "partials" object it is the partial set; otherwise a fixed set is used in which
 * "self" is the template itself, so recursion, parents and blocks get exercised. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/escape.h"
#include "render/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nul = memchr(in, '\0', size);
    size_t tlen = nul ? (size_t)(nul - in) : size;

    cJSON *ctx = NULL;
    if (nul) ctx = cJSON_ParseWithLength(nul + 1, size - tlen - 1);

    char *tpl = malloc(tlen + 1);
    if (!tpl) return 0;
    memcpy(tpl, in, tlen);
    tpl[tlen] = '\0';

    cJSON *fixed = cJSON_CreateObject();
    cJSON_AddStringToObject(fixed, "self", tpl);
    cJSON_AddStringToObject(fixed, "a", "<{{x}}|{{{x}}}|{{.}}>\n");
    cJSON_AddStringToObject(fixed, "list", "{{#list}}\n  {{>list}}\n{{/list}}");
    cJSON_AddStringToObject(fixed, "layout", "<h>{{$title}}T{{/title}}</h>\n  {{$body}}\n  b\n  {{/body}}\n");
    cJSON_AddStringToObject(fixed, "bad", "{{#x}}");
    const cJSON *partials = cJSON_GetObjectItemCaseSensitive(ctx, "partials");
    if (!cJSON_IsObject(partials)) partials = fixed;

    mst_loader *ld = mst_loader_json(partials);
    mst_loader_set_step_limit(ld, 20000);
    mst_loader_set_strict(ld, size & 1);

    buf out = BUF_INIT, err = BUF_INIT;
    mst_template *t = mst_compile(tpl, tlen, "fuzz", &err);
    if (t) {
        if (mst_render(t, ctx, ld, &out, &err) != 0 && err.len == 0) abort();
        /* Rendering the same compiled template twice gives the same bytes. */
        buf again = BUF_INIT, err2 = BUF_INIT;
        int rc = mst_render(t, ctx, ld, &again, &err2);
        if (rc == 0 && (again.len != out.len || (out.len && memcmp(again.data, out.data, out.len) != 0)))
            abort();
        buf_free(&again);
        buf_free(&err2);
        mst_free(t);
    } else if (err.len == 0) {
        abort();    /* every failure explains itself */
    }
    esc_html(&out, tpl, tlen);

    buf_free(&out);
    buf_free(&err);
    mst_loader_free(ld);
    cJSON_Delete(fixed);
    cJSON_Delete(ctx);
    free(tpl);
    return 0;
}
