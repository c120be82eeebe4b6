/* refresh: fills every statistical table (analytics/stat_tables.h) for one as-of date. COPY
 * streams the 90-day window to C (two halves on two connections sharing a snapshot), C
 * computes every statistic, binary COPY writes the rows back. */
#ifndef CATLOG_REFRESH_H
#define CATLOG_REFRESH_H

#include "core/ctx.h"
#include "core/date.h"

typedef struct {
    long long snapshots;          /* rows read from the 90-day window */
    int anime;                    /* anime with a snapshot in that window */
    int genres;
    long long momentum_rows, trend_rows, volatility_rows, percentile_rows, correlation_rows;
    double read_seconds, compute_seconds, write_seconds;
} refresh_summary;

/* Replaces the rows for as_of in every statistical table, in one transaction (other readers see
 * the old rows or the new ones, never a mix). Snapshots after as_of are ignored. Runs its
 * own transaction: ctx->db must not be inside one. Returns 0, or -1 after printing one
 * error line. */
int refresh_run(catlog_ctx *ctx, date_day as_of, refresh_summary *out);

#endif
