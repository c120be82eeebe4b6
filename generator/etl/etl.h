/* etl: one run of the pipeline Jikan -> "RawAnimeData" / "ProcessedAnime" / "DailyRankings",
 * logged in "EtlLogs" and gated by the quality expectations. The snapshot becomes visible
 * in one transaction, or not at all. */
#ifndef CATLOG_ETL_H
#define CATLOG_ETL_H

#include <stdbool.h>

#include "core/ctx.h"
#include "core/date.h"
#include "etl/jikan.h"

typedef struct {
    int pages;              /* 25 anime per page */
    date_day date;          /* snapshot date */
    const char *raw_dir;    /* archive root: RAW_DIR/YYYY-MM-DD/top-anime-pP.json */
    int keep_raw_days;      /* "RawAnimeData" retention */
    int keep_log_days;      /* "EtlLogs" retention */
    bool progress;
    jikan_options http;
} etl_options;

typedef struct {
    char run_id[64];
    int pages_fetched;
    long long fetched, accepted, rejected;
    int requests, retries;
    int quality_failed, quality_critical;
    const char *failed_step;   /* NULL on success */
} etl_summary;

int etl_run(catlog_ctx *ctx, const etl_options *opt, etl_summary *out);

/* Prints the most recent runs as a table. */
int etl_print_logs(catlog_ctx *ctx, int limit);

#endif
