#include "cmd/cmd.h"
#include "core/log.h"

int cmd_quality(int argc, char **argv, catlog_ctx *ctx)
{
    (void)argc; (void)argv; (void)ctx;
    log_error("quality: not implemented yet");
    return EXIT_FAIL;
}
