/* ctx: what every command is handed: its resolved settings and the lazily opened database
 * connection. No global mutable state lives anywhere else. */
#ifndef CATLOG_CTX_H
#define CATLOG_CTX_H

#include <stdbool.h>

#include "core/config.h"

typedef struct pg_conn PGconn;

typedef struct catlog_ctx {
    const config *cfg;          /* flags > environment > catlog.yaml > defaults */
    const char *database_url;   /* database.url, or NULL: libpq's PG* defaults */
    bool stdout_is_tty;         /* progress bars only on a terminal */
    PGconn *db;                 /* opened by db_connect(), closed by ctx_close() */
} catlog_ctx;

void ctx_init(catlog_ctx *ctx, const config *cfg, const char *database_url);
void ctx_close(catlog_ctx *ctx);

/* Exit codes shared by every command. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#endif
