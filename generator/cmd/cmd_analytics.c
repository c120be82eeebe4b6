#include "cmd/cmd.h"
#include "core/log.h"

int cmd_analytics(int argc, char **argv, catlog_ctx *ctx)
{
    (void)argc; (void)argv; (void)ctx;
    log_error("analytics: not implemented yet");
    return EXIT_FAIL;
}
