#include "db/db.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

/* libpq messages span lines ("...failed: X\n\tIs the server running..."): keep the first. */
static void first_line(buf *out, const char *msg)
{
    const char *nl = strchr(msg, '\n');
    buf_append(out, msg, nl ? (size_t)(nl - msg) : strlen(msg));
}

/* A connection to ctx's database; on failure the PGconn that says why (or NULL). */
static PGconn *open_session(catlog_ctx *ctx, bool *ok)
{
    PGconn *c = PQconnectdb(ctx->database_url ? ctx->database_url : "");
    *ok = c && PQstatus(c) == CONNECTION_OK;
    if (*ok) {
        PQsetNoticeProcessor(c, NULL, NULL);
        /* Times are stored and shown as UTC, whatever the server's zone. */
        PGresult *r = PQexec(c, "SET client_min_messages = warning; SET TimeZone = 'UTC'");
        PQclear(r);
    }
    return c;
}

int db_connect(catlog_ctx *ctx)
{
    if (ctx->db) return 0;
    bool ok;
    PGconn *c = open_session(ctx, &ok);
    if (ok) {
        ctx->db = c;
        return 0;
    }
    buf reason = BUF_INIT;
    const char *msg = c ? PQerrorMessage(c) : "out of memory";
    const char *tail = strstr(msg, "failed: ");
    first_line(&reason, tail ? tail + 8 : msg);
    const char *host = c ? PQhost(c) : NULL;
    log_error("cannot connect to PostgreSQL at host=%s port=%s dbname=%s user=%s: %s "
              "(set DATABASE_URL, or start the server)",
              host && *host ? host : "(default)", c && PQport(c) ? PQport(c) : "(default)",
              c && PQdb(c) ? PQdb(c) : "(default)", c && PQuser(c) ? PQuser(c) : "(default)",
              buf_cstr(&reason));
    buf_free(&reason);
    PQfinish(c);
    return -1;
}

PGconn *db_connect_another(catlog_ctx *ctx)
{
    bool ok;
    PGconn *c = open_session(ctx, &ok);
    if (ok) return c;
    PQfinish(c);
    return NULL;
}

void db_report(catlog_ctx *ctx, const char *step, const PGresult *res)
{
    db_report_conn(ctx->db, step, res);
}

void db_report_conn(PGconn *conn, const char *step, const PGresult *res)
{
    buf line = BUF_INIT;
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!*msg) msg = PQerrorMessage(conn);
    if (strncmp(msg, "ERROR:  ", 8) == 0) msg += 8;
    first_line(&line, msg);
    log_error("%s: %s", step, buf_cstr(&line));
    buf_free(&line);
}

int db_exec(catlog_ctx *ctx, const char *step, const char *sql)
{
    if (db_connect(ctx) != 0) return -1;
    PGresult *r = PQexec(ctx->db, sql);
    ExecStatusType st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) db_report(ctx, step, r);
    PQclear(r);
    return ok ? 0 : -1;
}

PGresult *db_query(catlog_ctx *ctx, const char *step, const char *sql,
                   int nparams, const char *const *params)
{
    if (db_connect(ctx) != 0) return NULL;
    PGresult *r = PQexecParams(ctx->db, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        db_report(ctx, step, r);
        PQclear(r);
        return NULL;
    }
    return r;
}

/* The query's one value, or NULL (a NULL, or no row); the result to PQclear() in *res. */
static const char *query_value(catlog_ctx *ctx, const char *step, const char *sql, int nparams,
                               const char *const *params, PGresult **res)
{
    *res = db_query(ctx, step, sql, nparams, params);
    if (!*res || PQntuples(*res) < 1 || PQnfields(*res) < 1 || PQgetisnull(*res, 0, 0)) return NULL;
    return PQgetvalue(*res, 0, 0);
}

int db_query_int64(catlog_ctx *ctx, const char *step, const char *sql, int nparams,
                   const char *const *params, long long *out, bool *is_null)
{
    PGresult *r;
    const char *v = query_value(ctx, step, sql, nparams, params, &r);
    *out = v ? strtoll(v, NULL, 10) : 0;
    if (is_null) *is_null = !v;
    int rc = r ? 0 : -1;
    PQclear(r);
    return rc;
}

int db_query_text(catlog_ctx *ctx, const char *step, const char *sql, int nparams,
                  const char *const *params, buf *out)
{
    PGresult *r;
    const char *v = query_value(ctx, step, sql, nparams, params, &r);
    if (v) buf_puts(out, v);
    int rc = r ? 0 : -1;
    PQclear(r);
    return rc;
}

int db_copy_begin(catlog_ctx *ctx, const char *step, const char *copy_sql)
{
    if (db_connect(ctx) != 0) return -1;
    PGresult *r = PQexec(ctx->db, copy_sql);
    int ok = PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok) db_report(ctx, step, r);
    PQclear(r);
    return ok ? 0 : -1;
}

int db_copy_put(catlog_ctx *ctx, const char *step, const char *data, size_t len)
{
    /* PQputCopyData takes an int length: feed large buffers in slices. */
    while (len) {
        int n = len > (1u << 30) ? (1 << 30) : (int)len;
        if (PQputCopyData(ctx->db, data, n) != 1) {
            db_report(ctx, step, NULL);
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int db_copy_end(catlog_ctx *ctx, const char *step)
{
    if (PQputCopyEnd(ctx->db, NULL) != 1) {
        db_report(ctx, step, NULL);
        return -1;
    }
    int ok = 1;
    PGresult *r;
    while ((r = PQgetResult(ctx->db)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            if (ok) db_report(ctx, step, r);
            ok = 0;
        }
        PQclear(r);
    }
    return ok ? 0 : -1;
}

int db_copy_flush(catlog_ctx *ctx, const char *step, buf *b, size_t at_least)
{
    if (b->len == 0 || b->len < at_least) return 0;
    int rc = db_copy_put(ctx, step, b->data, b->len);
    buf_reset(b);
    return rc;
}

int db_copy_finish(catlog_ctx *ctx, const char *step, buf *b, int rc)
{
    if (rc == 0) rc = db_copy_flush(ctx, step, b, 0);
    buf_free(b);
    if (db_copy_end(ctx, step) != 0) rc = -1;
    return rc;
}
