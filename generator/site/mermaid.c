#include "site/mermaid.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/file.h"
#include "core/log.h"
#include "render/escape.h"

#define RENDERER "tools/mermaid-render.mjs"

static void key_of(const mermaid_cache *mc, const char *src, char key[65])
{
    buf in = BUF_INIT;
    buf_printf(&in, "%s\n%s", mc->version, src);
    digest_sha256_hex(in.data, in.len, key);
    buf_free(&in);
}

static void path_of(const mermaid_cache *mc, const char *key, const char *ext, buf *out)
{
    buf_reset(out);
    buf_printf(out, "%s/%s.%s", buf_cstr(&mc->dir), key, ext);
}

/* An executable named name on PATH, into out. */
static bool on_path(const char *name, buf *out)
{
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        buf_reset(out);
        buf_printf(out, "%.*s/%s", (int)n, path, name);
        if (n > 0 && access(buf_cstr(out), X_OK) == 0) return true;
        path += n;
        if (*path == ':') path++;
    }
    return false;
}

static void cache_dir(buf *out)
{
    const char *d = getenv("CATLOG_MERMAID_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (d && *d) buf_puts(out, d);
    else if (xdg && *xdg) buf_printf(out, "%s/catlog/mermaid", xdg);
    else buf_printf(out, "%s/.cache/catlog/mermaid", home && *home ? home : "/tmp");
}

/* Hash of Mermaid's script and the renderer: a new version of either draws everything again. */
static bool version_of(const char *mermaid_js, const char *renderer, char out[65])
{
    buf all = BUF_INIT;
    bool ok = file_read_all(mermaid_js, &all) == 0 && file_read_all(renderer, &all) == 0;
    if (ok) digest_sha256_hex(all.data, all.len, out);
    buf_free(&all);
    return ok;
}

/* Runs node RENDERER mermaid_js dir keys...; its exit status. */
static int run_renderer(const char *node, const char *renderer, const char *mermaid_js, const char *dir,
                        char **keys, int n)
{
    const char **argv = xcalloc((size_t)n + 5, sizeof *argv);
    argv[0] = node;
    argv[1] = renderer;
    argv[2] = mermaid_js;
    argv[3] = dir;
    for (int i = 0; i < n; i++) argv[4 + i] = keys[i];
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execv(node, (char *const *)argv);
        _exit(127);
    }
    free(argv);
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void mermaid_prepare(mermaid_cache *mc, const site_options *opt, const char *mermaid_js, char *const *sources, int n)
{
    memset(mc, 0, sizeof *mc);
    buf_init(&mc->dir);
    if (n == 0) return;
    buf node = BUF_INIT, renderer = BUF_INIT, pw = BUF_INIT, p = BUF_INIT;
    const char *chromium = getenv("CHROMIUM");
    if (!chromium || !*chromium) chromium = "/usr/bin/chromium";
    const char *env_node = getenv("CATLOG_NODE");
    const char *missing = NULL;
    if (opt->data_dir) {
        buf_printf(&renderer, "%s/%s", opt->data_dir, RENDERER);
        buf_printf(&pw, "%s/node_modules/playwright-core/package.json", opt->data_dir);
    }
    if (!mermaid_js) missing = "mermaid.min.js not found";
    else if (!opt->data_dir || !file_exists(buf_cstr(&renderer))) missing = "the renderer " RENDERER " not found in the data directory";
    else if (env_node && *env_node ? (buf_puts(&node, env_node), access(env_node, X_OK) != 0) : !on_path("node", &node))
        missing = "node not found (CATLOG_NODE or PATH)";
    else if (!file_exists(buf_cstr(&pw))) missing = "playwright-core not found in the data directory's node_modules";
    else if (access(chromium, X_OK) != 0) missing = "Chromium not found (CHROMIUM or /usr/bin/chromium)";
    else if (!version_of(mermaid_js, buf_cstr(&renderer), mc->version)) missing = "mermaid.min.js unreadable";
    char **todo = xcalloc((size_t)n, sizeof *todo);
    int ntodo = 0;
    if (!missing) {
        cache_dir(&mc->dir);
        if (file_mkdirs(buf_cstr(&mc->dir)) != 0) missing = "the diagram cache directory cannot be created";
    }
    for (int i = 0; !missing && i < n; i++) {
        char key[65];
        key_of(mc, sources[i], key);
        path_of(mc, key, "svg", &p);
        if (file_exists(buf_cstr(&p))) {
            mc->cached++;
            continue;
        }
        bool dup = false;
        for (int j = 0; j < ntodo && !dup; j++) dup = strcmp(todo[j], key) == 0;
        if (dup) continue;
        path_of(mc, key, "mmd", &p);
        if (file_write_atomic(buf_cstr(&p), sources[i], strlen(sources[i])) != 0) missing = "the diagram cache is not writable";
        todo[ntodo++] = xstrdup(key);
    }
    if (!missing && ntodo > 0) {
        int st = run_renderer(buf_cstr(&node), buf_cstr(&renderer), mermaid_js, buf_cstr(&mc->dir), todo, ntodo);
        if (st == 3) missing = "playwright-core not found";
        else if (st != 0) missing = "the renderer failed (its errors are above)";
        else mc->drawn = ntodo;
    }
    for (int i = 0; i < ntodo; i++) free(todo[i]);
    free(todo);
    if (missing && mermaid_js)   /* without Mermaid at all, the build has said so already */
        log_warn("Mermaid diagrams left to the browser: %s", missing);
    else {
        mc->ready = true;
        if (mc->drawn > 0) log_info("Mermaid diagrams: %d drawn, %d from the cache in %s", mc->drawn, mc->cached, buf_cstr(&mc->dir));
    }
    buf_free(&node);
    buf_free(&renderer);
    buf_free(&pw);
    buf_free(&p);
}

bool mermaid_figure(void *ud, const char *src, buf *out)
{
    mermaid_cache *mc = ud;
    if (!mc || !mc->ready) return false;
    char key[65];
    key_of(mc, src, key);
    buf p = BUF_INIT, svg = BUF_INIT;
    path_of(mc, key, "svg", &p);
    bool ok = file_read_all(buf_cstr(&p), &svg) == 0 && svg.len > 0;
    if (ok) {
        /* the drawing scrolls when wider than the page; its source is its text alternative */
        buf_puts(out, "<figure class=\"diagram\"><div class=\"diagram-scroll\">");
        buf_append(out, svg.data, svg.len);
        buf_printf(out, "</div><details class=\"diagram-source\"><summary>Diagram source</summary><pre id=\"mermaid-%.12s-src\">", key);
        esc_html(out, src, strlen(src));
        buf_puts(out, "</pre></details></figure>\n");
    }
    buf_free(&p);
    buf_free(&svg);
    return ok;
}

void mermaid_free(mermaid_cache *mc)
{
    buf_free(&mc->dir);
}
