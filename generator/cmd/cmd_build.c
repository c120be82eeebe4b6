/* catlog build: the database -> the static site in output/. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/interrupt.h"
#include "site/site.h"

static int run_build(catlog_ctx *ctx)
{
    site_options o;
    int rc = EXIT_FAIL;
    site_summary s;
    interrupt_install();
    if (settings_site(ctx->cfg, &o, ctx->stdout_is_tty) == 0 && site_build(ctx, &o, &s) == 0) {
        printf("built %lld pages (%lld files) into %s in %.1f s\n", s.pages, s.files, o.out_dir, s.seconds);
        rc = EXIT_OK;
    }
    site_options_free(&o);
    return rc;
}

const command CMD_BUILD = {
    {"build", NULL, 0, 0, G_DB | G_SITE | G_OUT | G_BUILD | G_DATA | G_AS_OF,
     "Renders every page into a staging directory next to the output directory and swaps it in\n"
     "only when complete; on any failure the previous site is left as it was. Templates, assets\n"
     "and docs come from the site project (templates/, assets/, content/) where it has them,\n"
     "else from the built-in set.\n"},
    "render the static site into output/",
    run_build,
};
