#include "db/stream.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"

static void drain_results(PGconn *conn)
{
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL) PQclear(r);
}

/* ---- a cursor, in batches */

#define STREAM_CURSOR "catlog_stream"

static int fetch_send(catlog_ctx *ctx, const char *step, const char *fetch, bool binary)
{
    if (PQsendQueryParams(ctx->db, fetch, 0, NULL, NULL, NULL, NULL, binary ? 1 : 0)) return 0;
    db_report(ctx, step, NULL);
    return -1;
}

/* The batch asked for by fetch_send(), or NULL after printing the error. */
static PGresult *fetch_receive(catlog_ctx *ctx, const char *step)
{
    PGresult *batch = NULL, *r;
    while ((r = PQgetResult(ctx->db)) != NULL) {
        if (!batch && PQresultStatus(r) == PGRES_TUPLES_OK) {
            batch = r;
            continue;
        }
        if (PQresultStatus(r) != PGRES_TUPLES_OK) db_report(ctx, step, r);
        PQclear(r);
        PQclear(batch);
        drain_results(ctx->db);
        return NULL;
    }
    if (!batch) log_error("%s: the database sent no rows for the cursor", step);
    return batch;
}

int db_stream_batches(catlog_ctx *ctx, const char *step, const char *select, int nparams,
                      const char *const *params, int batch_rows, bool binary, db_stream_batch_fn fn,
                      void *ud)
{
    if (db_connect(ctx) != 0) return -1;
    PGTransactionStatusType status = PQtransactionStatus(ctx->db);
    if (status != PQTRANS_IDLE && status != PQTRANS_INTRANS) {
        log_error("%s: the connection is busy or its transaction has failed", step);
        return -1;
    }
    bool own = status == PQTRANS_IDLE;
    if (own && db_exec(ctx, step, "BEGIN") != 0) return -1;
    buf sql = BUF_INIT;
    buf_printf(&sql, "DECLARE " STREAM_CURSOR " NO SCROLL CURSOR FOR %s", select);
    PGresult *r = db_query(ctx, step, buf_cstr(&sql), nparams, params);
    int rc = r ? 0 : -1;
    PQclear(r);
    buf_reset(&sql);
    buf_printf(&sql, "FETCH %d FROM " STREAM_CURSOR, batch_rows);
    bool in_flight = rc == 0 && fetch_send(ctx, step, buf_cstr(&sql), binary) == 0;
    if (rc == 0 && !in_flight) rc = -1;
    for (bool first = true; rc == 0 && in_flight; first = false) {
        PGresult *batch = fetch_receive(ctx, step);
        in_flight = false;
        if (!batch) {
            rc = -1;
            break;
        }
        int rows = PQntuples(batch);
        if (rows == batch_rows) {   /* PostgreSQL prepares the next batch while fn works */
            rc = fetch_send(ctx, step, buf_cstr(&sql), binary);
            in_flight = rc == 0;
        }
        if (rc == 0 && (rows > 0 || first)) rc = fn(batch, ud);
        PQclear(batch);
    }
    if (in_flight) drain_results(ctx->db);
    if (own) {
        if (db_exec(ctx, step, rc == 0 ? "COMMIT" : "ROLLBACK") != 0) rc = -1;
    } else if (PQtransactionStatus(ctx->db) == PQTRANS_INTRANS) {
        if (db_exec(ctx, step, "CLOSE " STREAM_CURSOR) != 0) rc = -1;
    }
    buf_free(&sql);
    return rc;
}

/* ---- COPY ... TO STDOUT, in parallel */

/* One COPY being read without blocking. */
typedef struct {
    PGconn *conn;
    int query;
    bool sent;
    bool active;   /* sent, and its results not all read */
} copy_stream;

static int copy_send(copy_stream *s, const char *step, const char *sql)
{
    if (!PQsendQuery(s->conn, sql)) {
        db_report_conn(s->conn, step, NULL);
        return -1;
    }
    PGresult *r = PQgetResult(s->conn);
    int ok = PQresultStatus(r) == PGRES_COPY_OUT;
    if (!ok) db_report_conn(s->conn, step, r);
    PQclear(r);
    if (!ok) {
        drain_results(s->conn);
        return -1;
    }
    s->active = true;
    return 0;
}

/* Hands fn whatever lines have arrived. Returns 1 when the stream ended, 0 to wait, -1 on
 * error (the stream may still be active). */
static int copy_drain(copy_stream *s, const char *step, db_stream_line_fn fn, void *ud)
{
    if (!PQconsumeInput(s->conn)) {
        db_report_conn(s->conn, step, NULL);
        return -1;
    }
    char *line;
    int len;
    while ((len = PQgetCopyData(s->conn, &line, 1)) > 0) {
        int rc = fn(s->query, line, len, ud);
        PQfreemem(line);
        if (rc != 0) return -1;
    }
    if (len == 0) return 0;
    if (len == -2) {
        db_report_conn(s->conn, step, NULL);
        return -1;
    }
    int rc = 1;
    PGresult *r;
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            if (rc == 1) db_report_conn(s->conn, step, r);
            rc = -1;
        }
        PQclear(r);
    }
    s->active = false;
    return rc;
}

/* Reads the active streams to their ends (or the first error), waiting on their sockets. */
static int copy_read_all(copy_stream *streams, int n, const char *step, db_stream_line_fn fn, void *ud)
{
    struct pollfd *fds = xcalloc((size_t)n, sizeof *fds);
    int rc = 0;
    for (;;) {
        nfds_t nfds = 0;
        for (int i = 0; i < n && rc == 0; i++) {
            if (!streams[i].active) continue;
            int d = copy_drain(&streams[i], step, fn, ud);
            if (d < 0) rc = -1;
            else if (d == 0) fds[nfds++] = (struct pollfd){.fd = PQsocket(streams[i].conn), .events = POLLIN};
        }
        if (rc != 0 || nfds == 0) break;
        if (poll(fds, nfds, -1) < 0 && errno != EINTR) {
            log_error("%s: poll: %s", step, strerror(errno));
            rc = -1;
        }
    }
    free(fds);
    return rc;
}

/* Reads the rest of a stream that was given up, so its connection can go on. */
static void copy_discard(copy_stream *s)
{
    char *line;
    int len;
    while ((len = PQgetCopyData(s->conn, &line, 0)) > 0) PQfreemem(line);
    drain_results(s->conn);
    s->active = false;
}

/* A connection reading in `snapshot`, or NULL. */
static PGconn *open_reader(catlog_ctx *ctx, const char *snapshot)
{
    PGconn *c = db_connect_another(ctx);
    if (!c) return NULL;
    buf sql = BUF_INIT;
    buf_printf(&sql, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '%s';"
                     " SET LOCAL jit = off", snapshot);
    PGresult *r = PQexec(c, buf_cstr(&sql));
    buf_free(&sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(c);
        return NULL;
    }
    return c;
}

int db_stream_copy(catlog_ctx *ctx, const char *step, const char *const *copy_sql, int n,
                   db_stream_line_fn fn, void *ud)
{
    if (n <= 0) return 0;
    buf snapshot = BUF_INIT;
    if (db_query_text(ctx, step, "SELECT pg_export_snapshot()", 0, NULL, &snapshot) != 0) return -1;
    copy_stream *s = xcalloc((size_t)n, sizeof *s);
    for (int i = 0; i < n; i++) {
        PGconn *reader = i < n - 1 ? open_reader(ctx, buf_cstr(&snapshot)) : NULL;
        s[i] = (copy_stream){reader ? reader : ctx->db, i, false, false};
    }
    buf_free(&snapshot);
    /* Rounds: each starts every query not run yet whose connection is free (ctx->db takes
     * one a round), then reads them to their ends. */
    int rc = 0, left = n;
    while (rc == 0 && left > 0) {
        bool db_taken = false;
        for (int i = 0; i < n && rc == 0; i++) {
            if (s[i].sent || (s[i].conn == ctx->db && db_taken)) continue;
            db_taken |= s[i].conn == ctx->db;
            s[i].sent = true;
            left--;
            rc = copy_send(&s[i], step, copy_sql[i]);
        }
        if (rc == 0) rc = copy_read_all(s, n, step, fn, ud);
    }
    for (int i = 0; i < n; i++) {
        if (s[i].conn == ctx->db) {
            if (s[i].active) copy_discard(&s[i]);
            continue;
        }
        if (rc == 0) PQclear(PQexec(s[i].conn, "COMMIT"));
        PQfinish(s[i].conn);
    }
    free(s);
    return rc;
}
