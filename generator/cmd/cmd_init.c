/* catlog init DIR: a new site project: a commented catlog.yaml written from the settings
 * table, templates/, content/docs/, assets/ and a .gitignore. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/log.h"
#include "site/datadir.h"

static const char PROJECT_GITIGNORE[] =
    "# built sites, their staging copies, raw Jikan archives\n"
    "/output/\n/output.*\n/data/\n";

static const char PROJECT_README[] =
    "# A CatLog site project\n\n"
    "- `catlog.yaml`: the settings (`catlog config` shows what is in effect and where it came from).\n"
    "- `templates/`: a Mustache file here replaces the built-in template with the same relative path,\n"
    "  for example `pages/404.mustache`, `partials/anime-link.mustache` or `layouts/base.mustache`;\n"
    "  every other template comes from catlog's built-in set (`catlog init --copy-templates` copies\n"
    "  them all here to start from).\n"
    "- `assets/`: every file here ships fingerprinted under `assets/` with its media type; one with\n"
    "  the path of a built-in asset replaces it (`css/site.css` the stylesheet, `img/icon.svg` the\n"
    "  icon). Templates name them as `{{site.assets.KEY}}`: `css`, `icon`, or the path with every\n"
    "  character other than a letter or digit made `_` (`img/logo.png` -> `img_logo_png`).\n"
    "- `content/docs/`: each Markdown file becomes a page under `docs/`; one with the name of a\n"
    "  built-in doc replaces it.\n";

static const char EXAMPLE_DOC[] =
    "---\ntitle: About this site\norder: 90\nsummary: Who runs it and where the data comes from.\n---\n\n"
    "# About this site\n\n"
    "This page comes from `content/docs/about.md` in the site project. Every Markdown file in\n"
    "`content/docs/` becomes a page under `docs/`; one with the name of a built-in doc replaces it.\n";

/* A YAML scalar that reads back as text: double-quoted with \" and \\ escaped. */
static void S_yaml_quoted(buf *out, const char *s)
{
    buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') buf_putc(out, '\\');
        buf_putc(out, *s);
    }
    buf_putc(out, '"');
}

/* Every setting with a key, commented out at its default, under its section. */
static void S_config_file(buf *out)
{
    buf_puts(out, "# catlog.yaml: this site's settings. Uncomment what you change. A flag or an environment\n"
                  "# variable overrides a value here; `catlog config` shows the effective settings.\n"
                  "# Relative paths are relative to this file's directory. Credentials do not belong here:\n"
                  "# they stay in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, PGPASSWORD or\n"
                  "# ~/.pgpass).\n");
    char section[32] = "";
    for (size_t i = 0; i < S__COUNT; i++) {
        const conf_setting *s = &SETTINGS[i];
        if (!s->key) continue;
        const char *dot = strchr(s->key, '.');
        size_t n = (size_t)(dot - s->key);
        if (strlen(section) != n || strncmp(section, s->key, n) != 0) {
            snprintf(section, sizeof section, "%.*s", (int)n, s->key);
            buf_printf(out, "\n%s:\n", section);
        }
        buf_printf(out, "  # %s", s->help);
        if (s->env) buf_printf(out, " [%s]", s->env);
        buf_printf(out, "\n  # %s: ", dot + 1);
        if (!s->def) buf_puts(out, s->type == CONF_DATE ? "YYYY-MM-DD" : s->metavar ? s->metavar : "");
        else if (s->type == CONF_TEXT || s->type == CONF_PATH) S_yaml_quoted(out, s->def);
        else buf_puts(out, s->def);
        buf_putc(out, '\n');
    }
}

static int S_write(const char *dir, const char *rel, const char *text, size_t len)
{
    buf path = BUF_INIT;
    buf_printf(&path, "%s/%s", dir, rel);
    const char *slash = strrchr(buf_cstr(&path), '/');
    buf parent = BUF_INIT;
    buf_append(&parent, path.data, (size_t)(slash - path.data));
    int rc = file_mkdirs(buf_cstr(&parent));
    if (rc == 0) rc = file_write_atomic(buf_cstr(&path), text, len);
    if (rc != 0) log_error("init: cannot write %s: %s", buf_cstr(&path), strerror(errno));
    buf_free(&parent);
    buf_free(&path);
    return rc;
}

static int run_init(catlog_ctx *ctx)
{
    const char *dir = ctx->cfg->operands[0];
    buf path = BUF_INIT, yaml = BUF_INIT, data_dir = BUF_INIT;
    buf_printf(&path, "%s/catlog.yaml", dir);
    if (file_exists(buf_cstr(&path))) {
        log_error("init: %s already exists: edit it, or choose another directory", buf_cstr(&path));
        buf_free(&path);
        return EXIT_FAIL;
    }
    S_config_file(&yaml);
    int rc = S_write(dir, "catlog.yaml", yaml.data, yaml.len);
    if (rc == 0) rc = S_write(dir, ".gitignore", PROJECT_GITIGNORE, sizeof PROJECT_GITIGNORE - 1);
    if (rc == 0) rc = S_write(dir, "README.md", PROJECT_README, sizeof PROJECT_README - 1);
    if (rc == 0) rc = S_write(dir, "templates/.keep", "", 0);
    if (rc == 0) rc = S_write(dir, "assets/.keep", "", 0);
    if (rc == 0) rc = S_write(dir, "content/docs/about.md", EXAMPLE_DOC, sizeof EXAMPLE_DOC - 1);
    if (rc == 0 && config_bool(ctx->cfg, S_COPY_TEMPLATES)) {
        rc = datadir_find(config_text(ctx->cfg, S_DATA_DIR), &data_dir);
        buf from = BUF_INIT, to = BUF_INIT;
        buf_printf(&from, "%s/templates", buf_cstr(&data_dir));
        buf_printf(&to, "%s/templates", dir);
        if (rc == 0 && file_copy_tree(buf_cstr(&from), buf_cstr(&to)) != 0) {
            log_error("init: cannot copy %s to %s: %s", buf_cstr(&from), buf_cstr(&to), strerror(errno));
            rc = -1;
        }
        buf_free(&from);
        buf_free(&to);
    }
    if (rc == 0)
        printf("created a site project in %s: catlog.yaml, templates/, assets/, content/docs/, .gitignore\n"
               "next: set site.url in %s/catlog.yaml, then run catlog build there (or catlog -C %s build)\n",
               dir, dir, dir);
    buf_free(&path);
    buf_free(&yaml);
    buf_free(&data_dir);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

const command CMD_INIT = {
    {"init", "DIR", 1, 1, G_INIT | G_DATA,
     "Makes DIR a site project: a commented catlog.yaml listing every setting, templates/ and\n"
     "assets/ (a file there replaces the built-in one with the same path), content/docs/ (Markdown\n"
     "pages, one example) and a .gitignore. Commands run in DIR (or with -C DIR) use it.\n"},
    "make a new site project (catlog.yaml, templates/, assets/, content/)",
    run_init,
};
