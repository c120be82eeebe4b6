/* ctx: what every command is handed: configuration from the environment and the
 * lazily opened database connection. No global mutable state lives anywhere else. */
#ifndef CATLOG_CTX_H
#define CATLOG_CTX_H

#include <stdbool.h>

typedef struct pg_conn PGconn;

typedef struct catlog_ctx {
    const char *database_url;   /* DATABASE_URL, or NULL: libpq's PG* defaults */
    bool stdout_is_tty;         /* progress bars only on a terminal */
    bool verbose;
    PGconn *db;                 /* opened by db_connect(), closed by ctx_close() */
} catlog_ctx;

void ctx_init(catlog_ctx *ctx);
void ctx_close(catlog_ctx *ctx);

/* Exit codes shared by every command. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#endif
