/* demo: deterministic synthetic rankings (a stand-in source for the Jikan API) loaded
 * with COPY into "ProcessedAnime", "DailyRankings" and "EtlLogs". */
#ifndef CATLOG_DEMO_H
#define CATLOG_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/date.h"

typedef struct {
    int anime;          /* number of anime */
    int days;           /* days of history, ending at end */
    date_day end;       /* last snapshot date */
    uint64_t seed;
    bool replace;       /* allowed to overwrite existing rows */
    bool progress;      /* draw a progress bar */
} demo_options;

typedef struct {
    long long ranking_rows;
    int anime;
    int days;
} demo_summary;

/* Replaces the three tables' contents in one transaction. Returns 0 or -1. */
int demo_load(catlog_ctx *ctx, const demo_options *opt, demo_summary *out);

#endif
