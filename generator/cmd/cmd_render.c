/* catlog render TEMPLATE [DATA.json] [--partials DIR] [--strict]: one template to stdout,
 * exactly the rendered bytes. For trying templates and for scripts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/log.h"
#include "render/mustache.h"

/* "a/b/page.mustache" -> "a/b"; "page.mustache" -> ".". */
static void dir_of(const char *path, buf *out)
{
    const char *slash = strrchr(path, '/');
    if (!slash || strcmp(path, "-") == 0) buf_puts(out, ".");
    else if (slash == path) buf_puts(out, "/");
    else buf_append(out, path, (size_t)(slash - path));
}

static cJSON *read_data(const char *path, bool *ok)
{
    const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
    buf src = BUF_INIT;
    *ok = false;
    if (file_read_all(path, &src) != 0) {
        log_error("cannot read data %s: %s", shown, strerror(errno));
        buf_free(&src);
        return NULL;
    }
    /* The length counts the terminating NUL: cJSON wants to see it after the value. */
    const char *text = src.data ? src.data : "";
    const char *end = NULL;
    cJSON *data = cJSON_ParseWithLengthOpts(text, src.len + 1, &end, true);
    if (!data) {
        size_t at = end && end >= text && end <= text + src.len ? (size_t)(end - text) : 0;
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < at; i++) {
            if (text[i] == '\n') line++, col = 1;
            else col++;
        }
        size_t rest = at, n = 0;
        while (rest < src.len && strchr(" \t\r\n", text[rest])) rest++;
        while (rest + n < src.len && n < 20 && text[rest + n] != '\n' && text[rest + n] != '\r') n++;
        if (rest >= src.len)
            log_error("%s:%u:%u: invalid JSON (unexpected end of input)", shown, line, col);
        else
            log_error("%s:%u:%u: invalid JSON near '%.*s'", shown, line, col, (int)n, text + rest);
    } else {
        *ok = true;
    }
    buf_free(&src);
    return data;
}

static int run_render(catlog_ctx *ctx)
{
    const char *tpl_path = ctx->cfg->operands[0];
    const char *data_path = ctx->cfg->noperands > 1 ? ctx->cfg->operands[1] : NULL;
    const char *partials = config_text(ctx->cfg, S_PARTIALS);
    bool strict = config_bool(ctx->cfg, S_STRICT);
    if (data_path && !strcmp(tpl_path, "-") && !strcmp(data_path, "-")) {
        log_error("render: TEMPLATE and DATA.json cannot both be stdin");
        return EXIT_FAIL;
    }

    int rc = EXIT_FAIL;
    buf src = BUF_INIT, dir = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
    cJSON *data = NULL;
    mst_template *t = NULL;
    mst_loader *ld = NULL;

    if (file_read_all(tpl_path, &src) != 0) {
        log_error("cannot read template %s: %s", tpl_path, strerror(errno));
        goto done;
    }
    if (data_path) {
        bool ok;
        data = read_data(data_path, &ok);
        if (!ok) goto done;
    }
    t = mst_compile(src.data, src.len, strcmp(tpl_path, "-") ? tpl_path : "<stdin>", &err);
    if (!t) {
        log_error("%s", buf_cstr(&err));
        goto done;
    }
    if (partials) buf_puts(&dir, partials);
    else dir_of(tpl_path, &dir);
    ld = mst_loader_dir(buf_cstr(&dir));
    mst_loader_set_strict(ld, strict);
    if (mst_render(t, data, ld, &out, &err) != 0) {
        log_error("%s", buf_cstr(&err));
        goto done;
    }
    if ((out.len && fwrite(out.data, 1, out.len, stdout) != out.len) || fflush(stdout) != 0) {
        log_error("cannot write output: %s", strerror(errno));
        goto done;
    }
    rc = EXIT_OK;
done:
    mst_loader_free(ld);
    mst_free(t);
    cJSON_Delete(data);
    buf_free(&src);
    buf_free(&dir);
    buf_free(&out);
    buf_free(&err);
    return rc;
}

const command CMD_RENDER = {
    {"render", "TEMPLATE [DATA.json]", 1, 2, G_RENDER,
     "Renders the Mustache file TEMPLATE against DATA.json (a file, or - for stdin; without it the\n"
     "data is an empty object) and writes exactly the rendered bytes to stdout.\n"},
    "render one Mustache template to stdout",
    run_render,
};
