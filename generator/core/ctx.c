#include "core/ctx.h"

#include <libpq-fe.h>
#include <unistd.h>

void ctx_init(catlog_ctx *ctx, const config *cfg, const char *database_url)
{
    ctx->cfg = cfg;
    ctx->database_url = database_url && *database_url ? database_url : NULL;
    ctx->stdout_is_tty = isatty(STDOUT_FILENO);
    ctx->db = NULL;
}

void ctx_close(catlog_ctx *ctx)
{
    if (ctx->db) PQfinish(ctx->db);
    ctx->db = NULL;
}
