/* catlog config: the effective settings and where each came from. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"

static int run_config(catlog_ctx *ctx)
{
    config_print(ctx->cfg, stdout);
    return EXIT_OK;
}

const command CMD_CONFIG = {
    {"config", NULL, 0, 0, G_PERSISTENT,
     "Prints every setting with its value and where it came from: a flag, an environment\n"
     "variable, the configuration file (file:line) or the default. Precedence: flag >\n"
     "environment > file > default. The file is catlog.yaml in the current directory (or in\n"
     "-C DIR), --config FILE or $CATLOG_CONFIG; its keys are the \"file:\" names below.\n"},
    "print the effective settings and where each came from",
    run_config,
};
