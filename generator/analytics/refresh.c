/* The driver: one transaction reads the window (refresh_read.c), computes every statistical
 * table (refresh_compute.c) and replaces the as-of date's rows. */
#include "analytics/refresh.h"

#include <string.h>

#include "analytics/refresh_internal.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/progress.h"
#include "db/db.h"

/* Serialises concurrent refreshes (any constant works; this spells "CATR"). */
#define REFRESH_LOCK_KEY "1128354898"

static int write_tables(catlog_ctx *ctx, const char *as_of, bincopy out[STAT_NUM_TABLES])
{
    const char *params[1] = {as_of};
    for (int t = 0; t < STAT_NUM_TABLES; t++) {
        buf sql = BUF_INIT, step = BUF_INIT;
        buf_printf(&sql, "DELETE FROM \"%s\" WHERE \"asOf\" = $1::date", STAT_TABLES[t].name);
        buf_printf(&step, "clearing \"%s\" for %s", STAT_TABLES[t].name, as_of);
        PGresult *r = db_query(ctx, buf_cstr(&step), buf_cstr(&sql), 1, params);
        buf_free(&sql);
        buf_free(&step);
        if (!r) return -1;
        PQclear(r);
    }
    for (int t = 0; t < STAT_NUM_TABLES; t++)
        if (bincopy_copy_in(ctx, STAT_TABLES[t].name, STAT_TABLES[t].columns, &out[t]) != 0) return -1;
    return 0;
}

int refresh_run(catlog_ctx *ctx, date_day as_of_day, refresh_summary *out)
{
    memset(out, 0, sizeof *out);
    if (db_connect(ctx) != 0) return -1;
    if (PQtransactionStatus(ctx->db) != PQTRANS_IDLE) {
        log_error("analytics refresh: the connection is already inside a transaction; refresh commits its own");
        return -1;
    }
    char as_of[11];
    date_format(as_of_day, as_of);
    refresh_state st;
    memset(&st, 0, sizeof st);
    double t0 = progress_now();
    /* One snapshot of the data for reading and writing; one refresh at a time. Short
     * set-based statements: compiling them (JIT) costs more than it saves. */
    int rc = db_exec(ctx, "starting the analytics refresh",
                     "BEGIN ISOLATION LEVEL REPEATABLE READ;"
                     " SET LOCAL jit = off;"
                     " SELECT pg_advisory_xact_lock(" REFRESH_LOCK_KEY ")");
    if (rc != 0) return -1;
    bincopy rows[STAT_NUM_TABLES];
    memset(rows, 0, sizeof rows);
    for (int t = 0; t < STAT_NUM_TABLES; t++) bincopy_start(&rows[t]);
    rc = refresh_read(ctx, &st, as_of);
    double t1 = progress_now();
    if (rc == 0) refresh_compute(&st, rows, as_of_day);
    double t2 = progress_now();
    if (rc == 0) rc = write_tables(ctx, as_of, rows);
    if (rc == 0) rc = db_exec(ctx, "committing the analytics refresh", "COMMIT");
    else db_exec(ctx, "rolling back the analytics refresh", "ROLLBACK");
    if (rc == 0) {
        out->snapshots = st.n_raw;
        out->anime = st.n_anime;
        out->genres = st.n_genres;
        out->momentum_rows = rows[STAT_MOMENTUM].rows;
        out->trend_rows = rows[STAT_SIGNIFICANCE].rows;
        out->volatility_rows = rows[STAT_VOLATILITY].rows;
        out->percentile_rows = rows[STAT_PERCENTILES].rows;
        out->correlation_rows = rows[STAT_CORRELATION].rows;
        out->read_seconds = t1 - t0;
        out->compute_seconds = t2 - t1;
        out->write_seconds = progress_now() - t2;
    }
    for (int t = 0; t < STAT_NUM_TABLES; t++) bincopy_free(&rows[t]);
    refresh_state_free(&st);
    return rc;
}
