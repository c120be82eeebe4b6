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

static void new_line(buf *out, int depth)
{
    buf_putc(out, '\n');
    for (int i = 0; i < depth; i++) buf_puts(out, "  ");
}

/* depth < 0: compact; else indented, v at that depth */
static void write_value(buf *out, const cJSON *v, int depth)
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
            if (depth >= 0) new_line(out, depth + 1);
            if (object) {
                jsonout_string(out, c->string);
                buf_puts(out, depth >= 0 ? ": " : ":");
            }
            write_value(out, c, depth >= 0 ? depth + 1 : depth);
        }
        if (depth >= 0 && v->child) new_line(out, depth);
        buf_putc(out, object ? '}' : ']');
    }
}

void jsonout_write(buf *out, const cJSON *v) { write_value(out, v, -1); }

void jsonout_pretty(buf *out, const cJSON *v) { write_value(out, v, 0); }
