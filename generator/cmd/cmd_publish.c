/* catlog publish: put the built site into a bucket or a directory, sending only what changed */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/args.h"
#include "publish/publish.h"

static const char usage[] =
    "usage: catlog publish [--out DIR] --to s3://BUCKET[/PREFIX] | --to DIR [--dry-run] [--delete]\n"
    "                      [--parallel N] [--retries N] [--full] [--asset-grace SECS]\n"
    "                      [--cache-immutable VALUE] [--cache-page VALUE] [--purge-url URL] [--verbose]\n"
    "Uploads the site in DIR (default output/, described by its manifest.json) and only what changed\n"
    "since the last publish (read from the manifest published with it): fingerprinted assets first,\n"
    "then pages and JSON, then sitemap/feed, then the manifest, then (with --delete) removals.\n"
    "  --to s3://BUCKET[/PREFIX]  S3 or an S3-compatible service; --to DIR: a local directory\n"
    "  --dry-run             print what would be uploaded and deleted, change nothing\n"
    "  --delete              remove objects that are no longer in the site (assets only after\n"
    "                        --asset-grace seconds, default 3600, so cached pages keep working)\n"
    "  --full                compare with the bucket's listing (ETags) instead of the published manifest\n"
    "  --parallel N          uploads at once (default 16); --retries N per request (default 4)\n"
    "  --cache-immutable V   Cache-Control of fingerprinted assets (default \"public, max-age=31536000, immutable\")\n"
    "  --cache-page V        Cache-Control of pages, JSON, feeds (default \"public, max-age=300, stale-while-revalidate=60\")\n"
    "  --purge-url URL       afterwards POST {\"target\", \"paths\": [changed pages]} there (CDN invalidation hook;\n"
    "                        CATLOG_PURGE_TOKEN, if set, is sent as a bearer token)\n"
    "environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional), AWS_REGION\n"
    "(default us-east-1), AWS_ENDPOINT_URL (S3-compatible endpoint, path-style URLs), CATLOG_CACHE_IMMUTABLE,\n"
    "CATLOG_CACHE_PAGE, CATLOG_PURGE_URL. Exit 0 when everything was published, 1 otherwise, 2 on bad usage.\n";

static int bad_usage(const char *msg, const char *arg)
{
    return args_usage_error("publish", usage, msg, arg);
}

int cmd_publish(int argc, char **argv, catlog_ctx *ctx)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},          {"to", required_argument, NULL, 't'},
        {"dry-run", no_argument, NULL, 'n'},            {"delete", no_argument, NULL, 'D'},
        {"full", no_argument, NULL, 'F'},               {"parallel", required_argument, NULL, 'j'},
        {"retries", required_argument, NULL, 'R'},      {"asset-grace", required_argument, NULL, 'g'},
        {"cache-immutable", required_argument, NULL, 'I'}, {"cache-page", required_argument, NULL, 'P'},
        {"purge-url", required_argument, NULL, 'u'},    {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},               {NULL, 0, NULL, 0},
    };
    publish_options o;
    publish_default_options(&o, "output", NULL, ctx->stdout_is_tty);
    o.verbose = ctx->verbose;
    long long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hvn", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.site_dir = optarg; break;
        case 't': o.target = optarg; break;
        case 'n': o.dry_run = true; break;
        case 'D': o.delete_removed = true; break;
        case 'F': o.full = true; break;
        case 'j': if (!args_int("--parallel", optarg, 1, 256, &v)) return EXIT_USAGE; o.parallel = (int)v; break;
        case 'R': if (!args_int("--retries", optarg, 0, 20, &v)) return EXIT_USAGE; o.retries = (int)v; break;
        case 'g': if (!args_int("--asset-grace", optarg, 0, 100000000, &v)) return EXIT_USAGE; o.asset_grace_s = (double)v; break;
        case 'I': o.cache.immutable = optarg; break;
        case 'P': o.cache.page = optarg; break;
        case 'u': o.purge_url = optarg; break;
        case 'v': o.verbose = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return bad_usage("unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc) return bad_usage("unexpected argument", argv[optind]);
    if (!o.target || !*o.target) {
        fputs("catlog publish: --to is required: s3://BUCKET[/PREFIX] or a directory\n", stderr);
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    char *bucket = NULL, *prefix = NULL;
    if (publish_parse_s3(o.target, &bucket, &prefix) && !bucket) return bad_usage("no bucket name in", o.target);
    free(bucket);
    free(prefix);
    publish_summary s;
    return publish_run(&o, &s) == 0 ? EXIT_OK : EXIT_FAIL;
}
