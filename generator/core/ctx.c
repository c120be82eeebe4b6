#include "core/ctx.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

void ctx_init(catlog_ctx *ctx)
{
    const char *url = getenv("DATABASE_URL");
    ctx->database_url = (url && *url) ? url : NULL;
    ctx->stdout_is_tty = isatty(STDOUT_FILENO);
    ctx->verbose = false;
    ctx->db = NULL;
}

void ctx_close(catlog_ctx *ctx)
{
    if (ctx->db) PQfinish(ctx->db);
    ctx->db = NULL;
}
