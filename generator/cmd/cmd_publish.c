/* catlog publish: put the built site into a bucket or a directory, sending only what changed */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "publish/publish.h"

static int run_publish(catlog_ctx *ctx)
{
    publish_options o;
    settings_publish(ctx->cfg, &o, ctx->stdout_is_tty);
    if (!o.target || !*o.target) {
        log_error("publish: no target: pass --to s3://BUCKET[/PREFIX] or a directory (or set publish.target)");
        return EXIT_USAGE;
    }
    char *bucket = NULL, *prefix = NULL;
    bool s3 = publish_parse_s3(o.target, &bucket, &prefix);
    bool no_bucket = s3 && !bucket;
    free(bucket);
    free(prefix);
    if (no_bucket) {
        log_error("publish: no bucket name in '%s' (expected s3://BUCKET[/PREFIX])", o.target);
        return EXIT_USAGE;
    }
    publish_summary s;
    interrupt_install();
    int rc = publish_run(&o, &s);
    return rc == 0 ? EXIT_OK : rc == 2 ? EXIT_USAGE : EXIT_FAIL;
}

const command CMD_PUBLISH = {
    {"publish", NULL, 0, 0, G_OUT | G_PUBLISH | G_PUBLISH_ONCE,
     "Uploads the built site (described by its manifest.json) and only what changed since the last\n"
     "publish: fingerprinted assets first, then JSON, pages, sitemap/feed, the manifest, then (with\n"
     "--delete) removals. A site built for a loopback or local address is refused for s3://.\n"
     "environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional), AWS_REGION\n"
     "(default us-east-1), AWS_ENDPOINT_URL (S3-compatible endpoint, path-style URLs), CATLOG_PURGE_TOKEN.\n"
     "Exit 0 when everything was published, 1 otherwise, 2 on bad usage or a refused site.\n"},
    "upload what changed in the site to S3 or a directory",
    run_publish,
};
