/* db: the PostgreSQL connection (libpq) and the few query shapes every command needs.
 * Every failure is reported as one line naming the step; callers only see 0 / -1. */
#ifndef CATLOG_DB_H
#define CATLOG_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/ctx.h"

/* Opens ctx->db once (DATABASE_URL or libpq's PG* defaults). On failure prints
 * "cannot connect to PostgreSQL at host=.. port=.. dbname=.. user=..: reason" (never the
 * password) and returns -1. */
int db_connect(catlog_ctx *ctx);

/* Another connection to ctx->db's database, with the same session settings, for work in
 * parallel to it; NULL when it cannot open (nothing printed). The caller PQfinish()es it. */
PGconn *db_connect_another(catlog_ctx *ctx);

/* Runs SQL with no result rows. `step` names it in the error line. */
int db_exec(catlog_ctx *ctx, const char *step, const char *sql);

/* Runs a parameterised query; returns the result (caller PQclear()s) or NULL after
 * printing the error. Text parameters only. */
PGresult *db_query(catlog_ctx *ctx, const char *step, const char *sql,
                   int nparams, const char *const *params);

/* One value: the first column of the first row of a parameterised query. *is_null (may be
 * NULL) tells a NULL or no row, and *out is then 0; db_query_text appends the value to out
 * (nothing for NULL). Return 0, or -1 after printing the error. */
int db_query_int64(catlog_ctx *ctx, const char *step, const char *sql, int nparams,
                   const char *const *params, long long *out, bool *is_null);
int db_query_text(catlog_ctx *ctx, const char *step, const char *sql, int nparams,
                  const char *const *params, buf *out);

/* COPY ... FROM STDIN: begin, stream chunks, end. */
int db_copy_begin(catlog_ctx *ctx, const char *step, const char *copy_sql);
int db_copy_put(catlog_ctx *ctx, const char *step, const char *data, size_t len);
int db_copy_end(catlog_ctx *ctx, const char *step);
/* Sends b and empties it once it holds at least `at_least` bytes (0: whatever it holds), so
 * a bulk load streams in chunks of about that size. */
int db_copy_flush(catlog_ctx *ctx, const char *step, buf *b, size_t at_least);
/* Sends what b still holds (when rc is 0), ends the COPY and frees b. Returns rc, or -1 when
 * any of it failed. */
int db_copy_finish(catlog_ctx *ctx, const char *step, buf *b, int rc);

/* Prints "step: <first line of libpq's message>": res's error, else the connection's. */
void db_report(catlog_ctx *ctx, const char *step, const PGresult *res);
/* The same for any connection (db_connect_another's). */
void db_report_conn(PGconn *conn, const char *step, const PGresult *res);

#endif
