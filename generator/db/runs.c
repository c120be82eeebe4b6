#include "db/runs.h"

#include <string.h>

#include "core/buf.h"
#include "db/db.h"

/* The advisory-lock class of run ids ("CRUN"); the second key is hashtext(runId). */
#define RUN_LOCK_CLASS "1129468238"

static int S_lock(catlog_ctx *ctx, const char *fn, const char *run_id, bool *got)
{
    const char *p[1] = {run_id};
    buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT %s(" RUN_LOCK_CLASS ", hashtext($1))::text", fn);
    PGresult *r = db_query(ctx, "run lock", buf_cstr(&sql), 1, p);
    buf_free(&sql);
    if (!r) return -1;
    if (got) *got = strcmp(PQgetvalue(r, 0, 0), "true") == 0 || strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return 0;
}

int runs_begin(catlog_ctx *ctx, const char *table, const char *run_id)
{
    buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT \"runId\" FROM \"%s\" WHERE status = 'RUNNING'", table);
    PGresult *running = db_query(ctx, "finding unfinished runs", buf_cstr(&sql), 0, NULL);
    if (!running) {
        buf_free(&sql);
        return -1;
    }
    int rc = 0;
    for (int i = 0; rc == 0 && i < PQntuples(running); i++) {
        const char *id = PQgetvalue(running, i, 0);
        bool free_lock = false;
        rc = S_lock(ctx, "pg_try_advisory_lock", id, &free_lock);
        if (rc != 0 || !free_lock) continue;   /* its process still runs */
        const char *p[2] = {id, RUNS_ABANDONED};
        buf_reset(&sql);
        buf_printf(&sql, "UPDATE \"%s\" SET status = 'FAILED', \"errorMessage\" = $2, \"endTime\" = CURRENT_TIMESTAMP"
                         " WHERE \"runId\" = $1 AND status = 'RUNNING'", table);
        PGresult *r = db_query(ctx, "marking an abandoned run", buf_cstr(&sql), 2, p);
        if (!r) rc = -1;
        PQclear(r);
        S_lock(ctx, "pg_advisory_unlock", id, NULL);
    }
    PQclear(running);
    buf_free(&sql);
    if (rc == 0) rc = S_lock(ctx, "pg_advisory_lock", run_id, NULL);
    return rc;
}

void runs_end(catlog_ctx *ctx, const char *run_id)
{
    S_lock(ctx, "pg_advisory_unlock", run_id, NULL);
}
