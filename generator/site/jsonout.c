#include "site/jsonout.h"

#include <math.h>
#include <string.h>

#include "render/mustache.h"

void jsonout_string(buf *out, const char *s)
{
    static const char HEX[] = "0123456789abcdef";
    buf_putc(out, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        /* '<' is escaped too: the text may end up inside a <script> of a host page */
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<') continue;
        buf_append(out, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case '\t': buf_puts(out, "\\t"); break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15], 0};
            buf_puts(out, u);
        }
        }
    }
    buf_append(out, run, (size_t)(s - run));
    buf_putc(out, '"');
}

void jsonout_write(buf *out, const cJSON *v)
{
    if (!v || cJSON_IsNull(v)) {
        buf_puts(out, "null");
    } else if (cJSON_IsFalse(v)) {
        buf_puts(out, "false");
    } else if (cJSON_IsTrue(v)) {
        buf_puts(out, "true");
    } else if (cJSON_IsNumber(v)) {
        if (isfinite(v->valuedouble)) mst_format_number(out, v->valuedouble);
        else buf_puts(out, "null");   /* JSON has no Infinity */
    } else if (cJSON_IsString(v)) {
        jsonout_string(out, v->valuestring);
    } else if (cJSON_IsRaw(v)) {
        buf_puts(out, v->valuestring);
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        int object = cJSON_IsObject(v);
        buf_putc(out, object ? '{' : '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            if (c != v->child) buf_putc(out, ',');
            if (object) {
                jsonout_string(out, c->string);
                buf_putc(out, ':');
            }
            jsonout_write(out, c);
        }
        buf_putc(out, object ? '}' : ']');
    }
}
