/* catlog build: the database -> the static site in output/. */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "core/args.h"
#include "site/site.h"

static const char usage[] =
    "usage: catlog build [--out DIR] [--as-of YYYY-MM-DD] [--site-url URL]\n"
    "                    [--templates DIR] [--assets DIR] [--content DIR] [--mermaid FILE]\n"
    "                    [--jobs N]\n"
    "Renders every page into a staging directory next to DIR (default output) and swaps it\n"
    "in only when complete; on any failure DIR is left as it was.\n"
    "  --as-of DATE    build for this date (default: the latest snapshot)\n"
    "  --site-url URL  absolute base for feed, sitemap, canonical and widget links\n"
    "                  (default $CATLOG_SITE_URL, else http://127.0.0.1:8000)\n"
    "  --mermaid FILE  mermaid.min.js to ship for diagrams (default node_modules/mermaid/dist/)\n"
    "  --jobs N        worker processes rendering pages (1-16; default: one per core, up to 8;\n"
    "                  1 renders everything in this process)\n";

int cmd_build(int argc, char **argv, catlog_ctx *ctx)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},       {"as-of", required_argument, NULL, 'a'},
        {"site-url", required_argument, NULL, 'u'},  {"templates", required_argument, NULL, 't'},
        {"assets", required_argument, NULL, 's'},    {"content", required_argument, NULL, 'c'},
        {"mermaid", required_argument, NULL, 'm'},   {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    site_options o;
    site_default_options(&o, ctx->stdout_is_tty);
    long long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.out_dir = optarg; break;
        case 'a': if (!args_date("--as-of", optarg, &o.as_of)) return EXIT_USAGE; o.have_as_of = true; break;
        case 'u': o.site_url = optarg; break;
        case 't': o.templates_dir = optarg; break;
        case 's': o.assets_dir = optarg; break;
        case 'c': o.content_dir = optarg; break;
        case 'm': o.mermaid_js = optarg; break;
        case 'j': if (!args_int("--jobs", optarg, 1, 16, &v)) return EXIT_USAGE; o.jobs = (int)v; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return args_usage_error("build", usage, "unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc) return args_usage_error("build", usage, "unexpected argument", argv[optind]);
    site_summary s;
    if (site_build(ctx, &o, &s) != 0) return EXIT_FAIL;
    printf("built %lld pages (%lld files) into %s in %.1f s\n", s.pages, s.files, o.out_dir, s.seconds);
    return EXIT_OK;
}
